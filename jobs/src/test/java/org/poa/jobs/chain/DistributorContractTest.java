package org.poa.jobs.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.poa.jobs.tools.NodePackages;
import org.poa.core.crypto.Hex;
import org.poa.core.merkle.PayoutLeaves;
import org.poa.core.merkle.PayoutTree;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The distributor on a real anvil, through web3j: roots in order, the activation delay, revocation,
 * roles, and claims with proofs from our own {@link PayoutTree}.
 */
class DistributorContractTest {

    static final long CHAIN_ID = 31337;
    static final long DELAY = 3600;
    static final long ADMIN_DELAY = 2 * 86_400;
    static AnvilChain chain;
    static Credentials admin;
    static Credentials settler;
    static Credentials auditor;
    static Credentials stranger;
    static Credentials guardian;

    @BeforeAll
    static void startChain() throws Exception {
        chain = AnvilChain.start(CHAIN_ID);
        admin = Credentials.create(AnvilChain.DEV_KEYS.get(0));
        settler = Credentials.create(AnvilChain.DEV_KEYS.get(1));
        auditor = Credentials.create(AnvilChain.DEV_KEYS.get(2));
        stranger = Credentials.create(AnvilChain.DEV_KEYS.get(3));
        guardian = Credentials.create(AnvilChain.DEV_KEYS.get(4));
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    record Deployed(String token, String distributor) {
    }

    Deployed deploy(BigInteger funding) throws Exception {
        String token = create("DemoToken", List.of(new Address(admin.getAddress())));
        String distributor = create("EpochRewardsDistributor", List.of(new Address(token), new Uint64(DELAY), new Uint48(ADMIN_DELAY),
                new Address(admin.getAddress()), new Address(settler.getAddress()), new Address(auditor.getAddress()),
                new Address(guardian.getAddress())));
        assertSuccess(send(admin, token, fn("mint", new Address(distributor), new Uint256(funding))));
        return new Deployed(token, distributor);
    }

    @Test
    void claimsPayTheDifferenceAgainstTheLatestActiveRoot() throws Exception {
        Deployed d = deploy(BigInteger.TEN.pow(24));
        String alice = "0x1111111111111111111111111111111111111111";
        String bob = "0x2222222222222222222222222222222222222222";
        PayoutTree first = tree(List.of(alice, bob, "0x3333333333333333333333333333333333333333"),
                List.of(BigInteger.valueOf(5_000), BigInteger.valueOf(7), BigInteger.ZERO));
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(first.root()), new Uint256(5_007))));
        assertEquals(BigInteger.ONE, uint(d.distributor(), "latestEpoch"));
        assertEquals(Hex.of(first.root()), Hex.of(((Bytes32) call(d.distributor(), fn("epochRoot", new Uint64(1)),
                new TypeReference<Bytes32>() { }).get(0)).getValue()));

        // Before the delay is over nothing is claimable.
        assertEquals(BigInteger.ZERO, uint(d.distributor(), "activeEpoch"));
        assertReverts("NoActiveRoot()", stranger, d.distributor(), claim(first, 0));
        chain.advance(DELAY + 1);
        assertEquals(BigInteger.ONE, uint(d.distributor(), "activeEpoch"));

        // Anyone may send a claim; the tokens go to the account.
        assertSuccess(send(stranger, d.distributor(), claim(first, 0)));
        assertEquals(BigInteger.valueOf(5_000), balanceOf(d.token(), alice));
        assertEquals(BigInteger.valueOf(5_000), uint(d.distributor(), fn("claimed", new Address(alice))));
        assertReverts("NothingDue(address,uint256,uint256)", stranger, d.distributor(), claim(first, 0));
        assertReverts("NothingDue(address,uint256,uint256)", stranger, d.distributor(), claim(first, 2));

        // A wrong amount or a wrong proof is refused, and nothing moves.
        Function inflated = fn("claim", new Address(bob), new Uint256(8), proof(first, 1));
        assertReverts("InvalidProof()", stranger, d.distributor(), inflated);
        List<Bytes32> tampered = new ArrayList<>(proof(first, 1).getValue());
        byte[] flipped = tampered.get(0).getValue().clone();
        flipped[31] ^= 1;
        tampered.set(0, new Bytes32(flipped));
        assertReverts("InvalidProof()", stranger, d.distributor(),
                fn("claim", new Address(bob), new Uint256(7), new DynamicArray<>(Bytes32.class, tampered)));
        assertEquals(BigInteger.ZERO, balanceOf(d.token(), bob));

        // Epoch 2 raises alice's cumulative amount: she gets the difference only.
        PayoutTree second = tree(List.of(alice, bob), List.of(BigInteger.valueOf(9_000), BigInteger.valueOf(7)));
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(2), new Bytes32(second.root()), new Uint256(9_007))));
        assertReverts("NothingDue(address,uint256,uint256)", stranger, d.distributor(), claim(first, 0));
        chain.advance(DELAY + 1);
        assertReverts("InvalidProof()", stranger, d.distributor(), claim(first, 1));
        assertSuccess(send(admin, d.distributor(), claim(second, 0)));
        assertEquals(BigInteger.valueOf(9_000), balanceOf(d.token(), alice));
        assertSuccess(send(stranger, d.distributor(), claim(second, 1)));
        assertEquals(BigInteger.valueOf(7), balanceOf(d.token(), bob));
        assertEquals(BigInteger.valueOf(9_007), uint(d.distributor(), "totalClaimed"));
    }

    @Test
    void rootsComeInOrderFromTheSettlerAndOnlyTheAuditorRevokesThemBeforeActivation() throws Exception {
        Deployed d = deploy(BigInteger.valueOf(1_000));
        byte[] root = Hash.sha3("epoch one".getBytes());
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", stranger, d.distributor(),
                fn("submitRoot", new Uint64(1), new Bytes32(root), new Uint256(1)));
        assertReverts("ZeroRoot()", settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(new byte[32]), new Uint256(1)));
        assertReverts("EpochOutOfOrder(uint64,uint64)", settler, d.distributor(), fn("submitRoot", new Uint64(2), new Bytes32(root), new Uint256(1)));
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(root), new Uint256(1))));
        assertReverts("EpochOutOfOrder(uint64,uint64)", settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(root), new Uint256(1)));

        // During the delay: only the auditor may revoke, and the epoch can then be submitted again.
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", settler, d.distributor(), fn("revokeRoot", new Uint64(1)));
        assertSuccess(send(auditor, d.distributor(), fn("revokeRoot", new Uint64(1))));
        assertEquals(BigInteger.ZERO, uint(d.distributor(), "latestEpoch"));
        assertEquals(BigInteger.ZERO, new BigInteger(1, ((Bytes32) call(d.distributor(), fn("epochRoot", new Uint64(1)),
                new TypeReference<Bytes32>() { }).get(0)).getValue()));
        byte[] corrected = Hash.sha3("epoch one, corrected".getBytes());
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(corrected), new Uint256(1))));

        // After activation the root stands.
        chain.advance(DELAY + 1);
        assertReverts("AlreadyActive(uint64,uint64)", auditor, d.distributor(), fn("revokeRoot", new Uint64(1)));
        assertEquals(BigInteger.ONE, uint(d.distributor(), "activeEpoch"));
        assertEquals(BigInteger.valueOf(DELAY), uint(d.distributor(), "activationDelay"));
    }

    @Test
    void theGuardianPausesClaimsAndOnlyTheAdminResumesThemWhileACorrectedRootMayGoOn() throws Exception {
        Deployed d = deploy(BigInteger.valueOf(2_000));
        String alice = "0x1111111111111111111111111111111111111111";
        String mallory = "0x6666666666666666666666666666666666666666";
        // A wrong root got past the auditor and is active: it pays mallory.
        PayoutTree wrong = tree(List.of(alice, mallory), List.of(BigInteger.valueOf(1), BigInteger.valueOf(999)));
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(wrong.root()), new Uint256(1_000))));
        chain.advance(DELAY + 1);

        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", stranger, d.distributor(), fn("pause"));
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", admin, d.distributor(), fn("pause"));
        assertSuccess(send(guardian, d.distributor(), fn("pause")));
        assertReverts("EnforcedPause()", stranger, d.distributor(), claim(wrong, 1));
        assertEquals(BigInteger.ZERO, balanceOf(d.token(), mallory));

        // While paused, the settler supersedes it with a corrected epoch 2 (amounts are cumulative) ...
        PayoutTree corrected = tree(List.of(alice, mallory), List.of(BigInteger.valueOf(1_000), BigInteger.ZERO));
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(2), new Bytes32(corrected.root()), new Uint256(1_000))));
        // ... which the auditor could still revoke in its window: pausing never shortens it.
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", guardian, d.distributor(), fn("revokeRoot", new Uint64(2)));
        chain.advance(DELAY + 1);

        // The guardian cannot resume; the admin can, once the corrected root is active.
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", guardian, d.distributor(), fn("unpause"));
        assertSuccess(send(admin, d.distributor(), fn("unpause")));
        assertReverts("InvalidProof()", stranger, d.distributor(), claim(wrong, 1));
        assertSuccess(send(stranger, d.distributor(), claim(corrected, 0)));
        assertEquals(BigInteger.valueOf(1_000), balanceOf(d.token(), alice));
        assertEquals(BigInteger.ZERO, balanceOf(d.token(), mallory));
    }

    @Test
    void revokingAPendingRootWorksWhilePaused() throws Exception {
        Deployed d = deploy(BigInteger.ONE);
        assertSuccess(send(guardian, d.distributor(), fn("pause")));
        byte[] root = Hash.sha3("epoch one".getBytes());
        assertSuccess(send(settler, d.distributor(), fn("submitRoot", new Uint64(1), new Bytes32(root), new Uint256(1))));
        assertSuccess(send(auditor, d.distributor(), fn("revokeRoot", new Uint64(1))));
        assertEquals(BigInteger.ZERO, uint(d.distributor(), "latestEpoch"));
    }

    @Test
    void theAdminIsHandedOverInTwoStepsAfterTheDelayAndNeverGrantedDirectly() throws Exception {
        Deployed d = deploy(BigInteger.ONE);
        Function grantAdmin = fn("grantRole", new Bytes32(new byte[32]), new Address(stranger.getAddress()));
        assertReverts("AccessControlEnforcedDefaultAdminRules()", admin, d.distributor(), grantAdmin);
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", stranger, d.distributor(),
                fn("beginDefaultAdminTransfer", new Address(stranger.getAddress())));

        assertSuccess(send(admin, d.distributor(), fn("beginDefaultAdminTransfer", new Address(stranger.getAddress()))));
        assertReverts("AccessControlEnforcedDefaultAdminDelay(uint48)", stranger, d.distributor(), fn("acceptDefaultAdminTransfer"));
        chain.advance(ADMIN_DELAY / 2);
        assertReverts("AccessControlEnforcedDefaultAdminDelay(uint48)", stranger, d.distributor(), fn("acceptDefaultAdminTransfer"));
        assertEquals(admin.getAddress(), address(d.distributor(), "defaultAdmin"));

        chain.advance(ADMIN_DELAY / 2 + 1);
        assertReverts("AccessControlInvalidDefaultAdmin(address)", settler, d.distributor(), fn("acceptDefaultAdminTransfer"));
        assertSuccess(send(stranger, d.distributor(), fn("acceptDefaultAdminTransfer")));
        assertEquals(stranger.getAddress(), address(d.distributor(), "defaultAdmin"));
        // The old admin has lost every admin power.
        assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", admin, d.distributor(), fn("unpause"));
    }

    // ------------------------------------------------------------------ helpers

    String address(String contract, String view) throws Exception {
        return ((Address) call(contract, fn(view), new TypeReference<Address>() { }).get(0)).getValue();
    }

    static PayoutTree tree(List<String> accounts, List<BigInteger> amounts) {
        PayoutLeaves leaves = new PayoutLeaves(accounts.size());
        for (int i = 0; i < accounts.size(); i++) {
            leaves.add(accounts.get(i), amounts.get(i));
        }
        return PayoutTree.of(leaves);
    }

    static DynamicArray<Bytes32> proof(PayoutTree tree, int i) {
        List<Bytes32> hashes = tree.proofHex(i).stream().map(h -> new Bytes32(Hex.parse32(h))).toList();
        return new DynamicArray<>(Bytes32.class, hashes);
    }

    static Function claim(PayoutTree tree, int i) {
        return fn("claim", new Address(tree.values().address(i)), new Uint256(tree.values().amount(i)), proof(tree, i));
    }

    @SuppressWarnings("rawtypes")
    static Function fn(String name, Type... args) {
        return new Function(name, Arrays.asList(args), List.of());
    }

    String create(String contract, List<Type> constructorArgs) throws Exception {
        String bin = Files.readString(NodePackages.locate("contracts").folder().resolve("build/" + contract + ".bin")).strip();
        TransactionReceipt receipt = transact(admin, null, bin + FunctionEncoder.encodeConstructor(constructorArgs));
        assertSuccess(receipt);
        return receipt.getContractAddress();
    }

    TransactionReceipt send(Credentials from, String to, Function function) throws Exception {
        return transact(from, to, FunctionEncoder.encode(function));
    }

    TransactionReceipt transact(Credentials from, String to, String data) throws Exception {
        RawTransactionManager manager = new RawTransactionManager(chain.web3j, from, CHAIN_ID);
        var sent = manager.sendEIP1559Transaction(CHAIN_ID, BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(100_000_000_000L),
                BigInteger.valueOf(5_000_000), to == null ? "" : to, data, BigInteger.ZERO, to == null);
        assertTrue(sent.getError() == null, () -> sent.getError().getMessage());
        return new PollingTransactionReceiptProcessor(chain.web3j, 50, 200).waitForTransactionReceipt(sent.getTransactionHash());
    }

    static void assertSuccess(TransactionReceipt receipt) {
        assertTrue(receipt.isStatusOK(), "transaction failed: " + receipt);
    }

    /** The call reverts with this custom error (checked by eth_call), and the mined transaction fails too. */
    void assertReverts(String error, Credentials from, String to, Function function) throws Exception {
        String data = FunctionEncoder.encode(function);
        EthCall result = chain.web3j.ethCall(Transaction.createEthCallTransaction(from.getAddress(), to, data),
                DefaultBlockParameterName.LATEST).send();
        String selector = Hex.of(Hash.sha3(error.getBytes())).substring(0, 10);
        String revert = result.hasError() ? String.valueOf(result.getError().getData()) : result.getValue();
        assertTrue(result.isReverted() || result.hasError(), function.getName() + " should revert with " + error);
        assertTrue(revert != null && revert.replace("\"", "").startsWith(selector),
                function.getName() + " should revert with " + error + " (" + selector + "), got " + revert);
        TransactionReceipt receipt = send(from, to, function);
        assertTrue(!receipt.isStatusOK(), function.getName() + " was mined successfully: " + receipt);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    List<Type> call(String to, Function function, TypeReference<?>... outputs) throws Exception {
        EthCall result = chain.web3j.ethCall(Transaction.createEthCallTransaction(admin.getAddress(), to, FunctionEncoder.encode(function)),
                DefaultBlockParameterName.LATEST).send();
        assertTrue(!result.hasError(), () -> function.getName() + ": " + result.getError().getMessage());
        return FunctionReturnDecoder.decode(result.getValue(), (List) List.of(outputs));
    }

    BigInteger uint(String to, String view) throws Exception {
        return uint(to, fn(view));
    }

    BigInteger uint(String to, Function function) throws Exception {
        return ((Type<BigInteger>) call(to, function, new TypeReference<Uint256>() { }).get(0)).getValue();
    }

    BigInteger balanceOf(String token, String account) throws Exception {
        return uint(token, fn("balanceOf", new Address(account)));
    }
}
