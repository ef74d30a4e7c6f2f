package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Row;
import org.poa.jobs.audit.EpochAudit;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.DemoDeployment;
import org.poa.jobs.chain.DistributorContract;
import org.poa.jobs.chain.EpochClaim;
import org.poa.jobs.chain.EpochSettlement;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.LocalAnvil;
import org.poa.jobs.chain.SigningKeys;
import org.poa.jobs.chain.TokenContract;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;

/**
 * The demo's chain: its own anvil (public development keys, state kept in the work folder) unless
 * $POA_RPC_URL names one; the demo token and distributor, deployed once per chain and remembered in
 * demo.json; and what the demo did on it, written back to demo.json.
 */
final class DemoChain implements AutoCloseable {

    static final long ANVIL_CHAIN_ID = 31337;
    /** Tokens minted to the demo treasury: far more than any demo pays. */
    static final BigInteger TREASURY_MINT = BigInteger.TEN.pow(36);

    private final Path workdir;
    private final LocalAnvil anvil;
    private final JsonRpc rpc;
    private final Credentials admin;
    private final Credentials treasury;
    private final DemoDeployment.Deployed deployed;
    private final ObjectNode summary;
    private final ArrayNode epochs;
    private final ArrayNode claims;

    private DemoChain(Path workdir, LocalAnvil anvil, JsonRpc rpc, Credentials admin, Credentials treasury,
                      DemoDeployment.Deployed deployed, ObjectNode summary) {
        this.workdir = workdir;
        this.anvil = anvil;
        this.rpc = rpc;
        this.admin = admin;
        this.treasury = treasury;
        this.deployed = deployed;
        this.summary = summary;
        this.epochs = summary.putArray("epochs");
        this.claims = summary.putArray("claims");
    }

    static DemoChain open(Path workdir, long activationDelay) throws IOException {
        String url = System.getenv("POA_RPC_URL");
        LocalAnvil anvil = null;
        Credentials admin;
        Credentials treasury;
        long chainId;
        if (url == null || url.isBlank()) {
            Progress.step("starting anvil (state in " + workdir.resolve("anvil-state.json") + ")");
            anvil = LocalAnvil.start(ANVIL_CHAIN_ID, workdir.resolve("anvil-state.json"), 1);
            url = anvil.url();
            chainId = ANVIL_CHAIN_ID;
            admin = Credentials.create(LocalAnvil.DEV_KEYS.get(0));
            treasury = Credentials.create(LocalAnvil.DEV_KEYS.get(1));
        } else {
            String id = System.getenv("POA_CHAIN_ID");
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("POA_RPC_URL is set but POA_CHAIN_ID is not: the demo signs only for a named chain");
            }
            chainId = Long.parseLong(id.strip());
            admin = SigningKeys.load("POA_PRIVATE_KEY", null, null);
            Credentials key = SigningKeys.optional("POA_TREASURY_PRIVATE_KEY");
            treasury = key != null ? key : admin;
        }
        JsonRpc rpc = null;
        try {
            rpc = new JsonRpc(ChainSettings.of(url, chainId, null), Progress::step);
            rpc.requireChainId();
            DemoDeployment.Deployed deployed = deployment(rpc, workdir, admin, treasury, activationDelay);
            JsonRpc bound = new JsonRpc(rpc.settings().withDistributor(deployed.distributor()), Progress::step);
            rpc.close();
            rpc = bound;
            ObjectNode summary = new ObjectMapper().createObjectNode();
            summary.put("rpc_url", url);
            summary.put("chain_id", chainId);
            summary.put("distributor", deployed.distributor());
            summary.put("token", deployed.token());
            if (anvil != null) {
                summary.put("anvil_state", workdir.resolve("anvil-state.json").toAbsolutePath().toString());
            }
            return new DemoChain(workdir, anvil, rpc, admin, treasury, deployed, summary);
        } catch (RuntimeException | IOException e) {
            if (rpc != null) {
                rpc.close();
            }
            if (anvil != null) {
                anvil.close();
            }
            throw e;
        }
    }

    /** The contracts of demo.json when they are on this chain; $POA_DISTRIBUTOR; else a new deployment. */
    private static DemoDeployment.Deployed deployment(JsonRpc rpc, Path workdir, Credentials admin, Credentials treasury,
                                                      long activationDelay) throws IOException {
        String given = System.getenv("POA_DISTRIBUTOR");
        if (given != null && !given.isBlank() && System.getenv("POA_RPC_URL") != null) {
            DistributorContract distributor = new DistributorContract(rpc, given.strip());
            distributor.requireCode();
            return new DemoDeployment.Deployed(distributor.token(), distributor.address());
        }
        Path file = workdir.resolve("demo.json");
        if (Files.isRegularFile(file)) {
            var json = new ObjectMapper().readTree(file.toFile());
            if (json.path("chain_id").asLong() == rpc.settings().chainId() && json.hasNonNull("distributor")) {
                DemoDeployment.Deployed earlier = new DemoDeployment.Deployed(json.path("token").asText(), json.path("distributor").asText());
                if (DemoDeployment.present(rpc, earlier)) {
                    Progress.step("using the contracts of " + file + ": distributor " + earlier.distributor());
                    return earlier;
                }
                Progress.step("the contracts of " + file + " are not on this chain: deploying new ones");
            }
        }
        return DemoDeployment.deploy(rpc, admin, admin.getAddress(), admin.getAddress(), treasury.getAddress(), activationDelay,
                TREASURY_MINT, Progress::step);
    }

    /** The address that receives the protocol's share and funds the distributor. */
    String treasury() {
        return treasury.getAddress();
    }

    void settleAndAudit(PoaContext context, long epoch) {
        settle(context, epoch);
        audit(context, epoch);
    }

    /** Commits the epoch's root (and tops up the distributor), remembered for demo.json. */
    EpochSettlement.Result settle(PoaContext context, long epoch) {
        EpochSettlement.Result settled = EpochSettlement.run(context.lakehouse(), rpc, epoch, admin, treasury, Progress::step);
        System.out.print("settle ");
        SettleCommand.print(settled);
        ObjectNode row = epochs.addObject();
        row.put("epoch", epoch);
        row.put("root", settled.root());
        row.put("tx_hash", settled.txHash());
        row.put("block_number", settled.blockNumber());
        return settled;
    }

    /** Audits the epoch against the chain; throws when a check fails. */
    List<EpochAudit.Check> audit(PoaContext context, long epoch) {
        List<EpochAudit.Check> checks = EpochAudit.run(context.lakehouse(), context.clock(), epoch, rpc,
                c -> System.out.println("audit epoch " + epoch + ": " + c), Progress::step);
        List<EpochAudit.Check> failed = checks.stream().filter(c -> !c.passed()).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the audit of epoch " + epoch + " failed: " + failed.get(0));
        }
        return checks;
    }

    /** Claims for the {@code count} accounts with the largest balances of the epoch, waiting for it to activate. */
    void claimTop(PoaContext context, long epoch, int count) {
        DistributorContract distributor = new DistributorContract(rpc, deployed.distributor());
        Duration wait = Duration.ofSeconds(distributor.activationDelay() + 120);
        TokenContract token = new TokenContract(rpc, deployed.token());
        for (String account : topAccounts(context, epoch, count, 0)) {
            EpochClaim.Result r = EpochClaim.run(context.lakehouse(), rpc, epoch, account, admin, wait, Progress::step);
            System.out.print("claim ");
            ClaimCommand.print(r);
            System.out.printf("token balance of %s: %s%n", r.account(), token.balanceOf(r.account()));
            ObjectNode row = claims.addObject();
            row.put("epoch", epoch);
            row.put("account", r.account());
            row.put("cumulative_wei", r.cumulative().toString());
            row.put("paid_wei", r.paid().toString());
            row.putPOJO("tx_hash", r.txHash());
        }
    }

    /** Prints how to claim by hand for the next account, and writes demo.json. */
    void finish(PoaContext context, long epoch) throws IOException {
        summary.put("lakehouse", context.root());
        List<String> next = topAccounts(context, epoch, 1, 2);
        if (!next.isEmpty()) {
            EpochClaim.Claim claim = EpochClaim.stored(context.lakehouse(), epoch, next.get(0));
            String calldata = DistributorContract.claim(claim.account(), claim.cumulative(), claim.proof());
            ObjectNode example = summary.putObject("claim_example");
            example.put("epoch", epoch);
            example.put("account", claim.account());
            example.put("amount", claim.cumulative().toString());
            ArrayNode proof = example.putArray("proof");
            claim.proof().forEach(proof::add);
            example.put("calldata", calldata);
            System.out.println();
            System.out.println("claim by hand with any Ethereum tool: send to the distributor " + deployed.distributor());
            System.out.println("  claim(address,uint256,bytes32[]) with " + claim.account() + ", " + claim.cumulative() + ", "
                    + claim.proof());
            System.out.println("  (call data " + calldata.substring(0, 10) + "..., in full in demo.json), e.g.");
            System.out.println("  cast send " + deployed.distributor() + " 'claim(address,uint256,bytes32[])' " + claim.account() + " "
                    + claim.cumulative() + " '[" + String.join(",", claim.proof()) + "]' --rpc-url " + rpc.settings().rpcUrl()
                    + " --private-key <any funded key>");
            if (anvil != null) {
                System.out.println("  the demo's anvil stops now; to bring the same chain back: "
                        + String.join(" ", anvil.command()).replace(" --silent", "").replace(" --block-time 1", ""));
            }
        }
        Path file = workdir.resolve("demo.json");
        Path temp = workdir.resolve("demo.json.tmp");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), summary);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The contributors (not the treasury) with the largest balances of the epoch. */
    private List<String> topAccounts(PoaContext context, long epoch, int count, int skip) {
        return context.lakehouse().read(Tables.MERKLE_PROOFS)
                .where(col("epoch").equalTo(epoch).and(org.apache.spark.sql.functions.lower(col("account"))
                        .notEqual(treasury.getAddress().toLowerCase(java.util.Locale.ROOT))))
                .orderBy(col("cumulative_wei").desc(), col("account")).limit(count + skip)
                .select("account").collectAsList().stream().skip(skip).map((Row r) -> r.getString(0)).toList();
    }

    @Override
    public void close() {
        rpc.close();
        if (anvil != null) {
            anvil.close();
        }
    }
}
