package org.poa.jobs.chain;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;

/** The ERC20 the distributor pays in: balances, transfers, and the demo token's mint and deployment. */
public final class TokenContract {

    private final ContractReader reader;

    public TokenContract(JsonRpc rpc, String address) {
        this.reader = new ContractReader(rpc, address);
    }

    public String address() {
        return reader.address;
    }

    /** Fails in one line unless there is code at the token's address. */
    public void requireCode() {
        reader.requireCode("token");
    }

    public BigInteger balanceOf(String account) {
        return reader.uint("balanceOf", new Address(account));
    }

    public static String transfer(String to, BigInteger amount) {
        return DistributorContract.encode("transfer", new Address(to), new Uint256(amount));
    }

    public static String mint(String to, BigInteger amount) {
        return DistributorContract.encode("mint", new Address(to), new Uint256(amount));
    }

    /** The demo token's bytecode with its owner as constructor argument. */
    public static String demoDeployment(String owner) {
        return ContractArtifacts.bytecode("DemoToken") + FunctionEncoder.encodeConstructor(List.of(new Address(owner)));
    }
}
