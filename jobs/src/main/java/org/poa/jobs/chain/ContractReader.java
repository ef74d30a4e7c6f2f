package org.poa.jobs.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/** Read-only calls to a contract (eth_call at the latest block), decoded with web3j's ABI decoder. */
class ContractReader {

    final JsonRpc rpc;
    final String address;

    ContractReader(JsonRpc rpc, String address) {
        this.rpc = rpc;
        this.address = address;
    }

    /** Fails in one line unless there is code at the address. */
    void requireCode(String what) {
        String code = rpc.send("eth_getCode", rpc.web3j().ethGetCode(address, DefaultBlockParameterName.LATEST)).getCode();
        if (code == null || code.equals("0x") || code.isEmpty()) {
            throw new ChainException("no " + what + " contract at " + address + " on chain " + rpc.settings().chainId()
                    + " (" + rpc.settings().endpoint() + ")");
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    List<Type> call(Function function) {
        EthCall result = rpc.answer(function.getName(), rpc.web3j().ethCall(
                Transaction.createEthCallTransaction(null, address, FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST));
        if (result.hasError()) {
            throw new ChainException(function.getName() + " on " + address + " failed: " + TransactionSender.reason(result.getError()));
        }
        List<Type> values = FunctionReturnDecoder.decode(result.getValue(), function.getOutputParameters());
        if (values.size() != function.getOutputParameters().size()) {
            throw new ChainException(function.getName() + " on " + address + " returned nothing decodable: is it the right contract?");
        }
        return values;
    }

    BigInteger uint(String name, Type<?>... args) {
        return (BigInteger) call(function(name, List.of(Arrays.asList(args)), new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() { }))
                .get(0).getValue();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Function function(String name, List<List<Type<?>>> args, TypeReference<?>... outputs) {
        return new Function(name, (List) args.get(0), (List) Arrays.asList(outputs));
    }
}
