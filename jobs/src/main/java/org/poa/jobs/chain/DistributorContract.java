package org.poa.jobs.chain;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The EpochRewardsDistributor's public interface (docs/contract.md) through web3j's encoders:
 * views read at the latest block, and the call data of its transactions.
 */
public final class DistributorContract {

    public static final String SETTLER_ROLE = role("SETTLER_ROLE");
    public static final String AUDITOR_ROLE = role("AUDITOR_ROLE");
    public static final String GUARDIAN_ROLE = role("GUARDIAN_ROLE");
    static final String ROOT_SUBMITTED = Numeric.toHexString(Hash.sha3(
            "RootSubmitted(uint64,bytes32,uint256,uint64)".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

    /**
     * Who holds what: the default admin (grants and revokes roles; handed over in two steps after
     * {@code adminTransferDelay} seconds), the settler (submits roots), the auditor (revokes a pending
     * root) and the guardian (pauses submissions and claims).
     */
    public record Roles(String admin, String settler, String auditor, String guardian) {

        /** One account holding every role: the demo's and the tests' development deployments only. */
        public static Roles development(String account) {
            return new Roles(account, account, account, account);
        }
    }

    /** An epoch's record on chain: zero root when never submitted (or revoked). */
    public record EpochInfo(String root, BigInteger cumulativeTotal, long activatesAt) {
    }

    /** Where a root was submitted. */
    public record Submission(String txHash, long blockNumber) {
    }

    private final ContractReader reader;

    public DistributorContract(JsonRpc rpc, String address) {
        this.reader = new ContractReader(rpc, address);
    }

    public String address() {
        return reader.address;
    }

    public void requireCode() {
        reader.requireCode("EpochRewardsDistributor");
    }

    public long latestEpoch() {
        return reader.uint("latestEpoch").longValueExact();
    }

    public long activeEpoch() {
        return reader.uint("activeEpoch").longValueExact();
    }

    public long activationDelay() {
        return reader.uint("activationDelay").longValueExact();
    }

    public boolean paused() {
        return (Boolean) reader.call(ContractReader.function("paused", List.of(List.of()), new TypeReference<Bool>() { }))
                .get(0).getValue();
    }

    /** The current default admin (AccessControlDefaultAdminRules). */
    public String defaultAdmin() {
        return reader.call(ContractReader.function("defaultAdmin", List.of(List.of()), new TypeReference<Address>() { }))
                .get(0).getValue().toString();
    }

    public BigInteger claimed(String account) {
        return reader.uint("claimed", new Address(account));
    }

    public BigInteger totalClaimed() {
        return reader.uint("totalClaimed");
    }

    public String token() {
        return reader.call(ContractReader.function("token", List.of(List.of()), new TypeReference<Address>() { }))
                .get(0).getValue().toString();
    }

    public String epochRoot(long epoch) {
        byte[] root = (byte[]) reader.call(ContractReader.function("epochRoot", List.of(List.of(new Uint64(epoch))),
                new TypeReference<Bytes32>() { })).get(0).getValue();
        return Numeric.toHexString(root);
    }

    public EpochInfo epochInfo(long epoch) {
        List<Type> values = reader.call(ContractReader.function("epochInfo", List.of(List.of(new Uint64(epoch))),
                new TypeReference<Uint256>() { }, new TypeReference<Uint64>() { }));
        return new EpochInfo(epochRoot(epoch), (BigInteger) values.get(0).getValue(), ((BigInteger) values.get(1).getValue()).longValueExact());
    }

    public boolean hasRole(String role, String account) {
        return (Boolean) reader.call(ContractReader.function("hasRole",
                List.of(List.of(new Bytes32(Numeric.hexStringToByteArray(role)), new Address(account))),
                new TypeReference<Bool>() { })).get(0).getValue();
    }

    /** The transaction that submitted this epoch's current root, from the RootSubmitted logs (latest wins). */
    public java.util.Optional<Submission> submission(long epoch) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, reader.address)
                .addSingleTopic(ROOT_SUBMITTED)
                .addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(epoch), 64));
        List<org.web3j.protocol.core.methods.response.EthLog.LogResult> logs =
                reader.rpc.send("eth_getLogs", reader.rpc.web3j().ethGetLogs(filter)).getLogs();
        Log last = null;
        for (var result : logs) {
            last = (Log) result.get();
        }
        return last == null ? java.util.Optional.empty()
                : java.util.Optional.of(new Submission(last.getTransactionHash(), last.getBlockNumber().longValueExact()));
    }

    // ------------------------------------------------------------------ call data

    public static String submitRoot(long epoch, String root, BigInteger cumulativeTotal) {
        return encode("submitRoot", new Uint64(epoch), new Bytes32(Numeric.hexStringToByteArray(root)), new Uint256(cumulativeTotal));
    }

    public static String revokeRoot(long epoch) {
        return encode("revokeRoot", new Uint64(epoch));
    }

    public static String claim(String account, BigInteger cumulativeAmount, List<String> proof) {
        List<Bytes32> hashes = proof.stream().map(h -> new Bytes32(Numeric.hexStringToByteArray(h))).toList();
        return encode("claim", new Address(account), new Uint256(cumulativeAmount), new DynamicArray<>(Bytes32.class, hashes));
    }

    public static String pause() {
        return encode("pause");
    }

    public static String unpause() {
        return encode("unpause");
    }

    /** The bytecode with its constructor arguments appended. */
    public static String deployment(String token, long activationDelay, long adminTransferDelay, Roles roles) {
        return ContractArtifacts.bytecode("EpochRewardsDistributor") + FunctionEncoder.encodeConstructor(List.of(new Address(token),
                new Uint64(activationDelay), new Uint48(adminTransferDelay), new Address(roles.admin()),
                new Address(roles.settler()), new Address(roles.auditor()), new Address(roles.guardian())));
    }

    private static String role(String name) {
        return Numeric.toHexString(Hash.sha3(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static String encode(String name, Type... args) {
        return FunctionEncoder.encode(new Function(name, (List) List.of(args), List.of()));
    }
}
