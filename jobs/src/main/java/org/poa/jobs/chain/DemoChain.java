package org.poa.jobs.chain;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;

/**
 * The demo's chain: its own anvil (public development keys, state kept in the work folder) unless
 * {@code POA_RPC_URL} names one; the demo token and distributor, deployed once per chain and
 * remembered in demo.json; and what the demo did on it, written back to demo.json.
 */
public final class DemoChain implements AutoCloseable {

    public static final long ANVIL_CHAIN_ID = 31337;
    /** Tokens minted to the demo treasury: far more than any demo pays. */
    static final BigInteger TREASURY_MINT = BigInteger.TEN.pow(36);

    private final Path workdir;
    private final LocalAnvil anvil;
    private final JsonRpc rpc;
    private final Credentials admin;
    private final Credentials treasury;
    private final DemoDeployment.Deployed deployed;
    private final boolean development;
    private final ObjectNode summary;
    private final ArrayNode epochs;
    private final ArrayNode claims;

    private DemoChain(Path workdir, LocalAnvil anvil, JsonRpc rpc, Credentials admin, Credentials treasury,
                      DemoDeployment.Deployed deployed, boolean development, ObjectNode summary) {
        this.workdir = workdir;
        this.anvil = anvil;
        this.rpc = rpc;
        this.admin = admin;
        this.treasury = treasury;
        this.deployed = deployed;
        this.development = development;
        this.summary = summary;
        this.epochs = summary.putArray("epochs");
        this.claims = summary.putArray("claims");
    }

    /**
     * Starts anvil in {@code workdir} or connects to {@code POA_RPC_URL} of {@code environment}
     * (with {@code POA_CHAIN_ID}, {@code POA_PRIVATE_KEY}, optional {@code POA_TREASURY_PRIVATE_KEY}
     * and {@code POA_DISTRIBUTOR}), and deploys the demo's contracts unless they are there.
     */
    public static DemoChain open(Path workdir, long activationDelay, Map<String, String> environment, Consumer<String> progress)
            throws IOException {
        String url = environment.get("POA_RPC_URL");
        LocalAnvil anvil = null;
        Credentials admin;
        Credentials treasury;
        long chainId;
        if (url == null || url.isBlank()) {
            progress.accept("starting anvil (state in " + workdir.resolve("anvil-state.json") + ")");
            anvil = LocalAnvil.start(ANVIL_CHAIN_ID, workdir.resolve("anvil-state.json"), 1);
            url = anvil.url();
            chainId = ANVIL_CHAIN_ID;
            admin = Credentials.create(LocalAnvil.DEV_KEYS.get(0));
            treasury = Credentials.create(LocalAnvil.DEV_KEYS.get(1));
        } else {
            String id = environment.get("POA_CHAIN_ID");
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("POA_RPC_URL is set but POA_CHAIN_ID is not: the demo signs only for a named chain");
            }
            chainId = Long.parseLong(id.strip());
            admin = SigningKeys.load(environment, "POA_PRIVATE_KEY", null, null);
            Credentials key = SigningKeys.treasury(environment);
            treasury = key != null ? key : admin;
        }
        JsonRpc rpc = null;
        try {
            rpc = new JsonRpc(ChainSettings.of(url, chainId, null), progress);
            rpc.requireChainId();
            boolean development = anvil != null || rpc.developmentChain();
            if (!development) {
                progress.accept("the chain at " + url + " is not a development chain (anvil, Hardhat, Ganache): the demo's claims"
                        + " wait for it to produce blocks past each root's activation delay");
            }
            DemoDeployment.Deployed deployed = deployment(rpc, workdir, environment, admin, treasury, activationDelay, progress);
            JsonRpc bound = new JsonRpc(rpc.settings().withDistributor(deployed.distributor()), progress);
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
            return new DemoChain(workdir, anvil, rpc, admin, treasury, deployed, development, summary);
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
    private static DemoDeployment.Deployed deployment(JsonRpc rpc, Path workdir, Map<String, String> environment, Credentials admin,
                                                      Credentials treasury, long activationDelay, Consumer<String> progress)
            throws IOException {
        String given = environment.get("POA_DISTRIBUTOR");
        if (given != null && !given.isBlank() && environment.get("POA_RPC_URL") != null) {
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
                    progress.accept("using the contracts of " + file + ": distributor " + earlier.distributor());
                    return earlier;
                }
                progress.accept("the contracts of " + file + " are not on this chain: deploying new ones");
            }
        }
        // The demo's signer holds every role: a development deployment, never a real one (docs/security.md).
        return DemoDeployment.deploy(rpc, admin, DistributorContract.Roles.development(admin.getAddress()), treasury.getAddress(),
                new DemoDeployment.Delays(activationDelay, 0), TREASURY_MINT, progress);
    }

    /** The chain, bound to the demo's distributor. */
    public JsonRpc rpc() {
        return rpc;
    }

    /** The settler's key (the demo's admin holds every role). */
    public Credentials settler() {
        return admin;
    }

    /** The key that funds the distributor. */
    public Credentials treasuryKey() {
        return treasury;
    }

    /** The address that receives the protocol's share and funds the distributor. */
    public String treasury() {
        return treasury.getAddress();
    }

    /** Remembers a settled epoch for demo.json. */
    public void settled(EpochSettlement.Result settled) {
        ObjectNode row = epochs.addObject();
        row.put("epoch", settled.epoch());
        row.put("root", settled.root());
        row.put("tx_hash", settled.txHash());
        row.put("block_number", settled.blockNumber());
    }

    /**
     * Claims for the {@code count} accounts with the largest balances of the epoch, waiting for it to
     * activate (mining blocks meanwhile on a development chain); one line per claim.
     */
    public List<String> claimTop(Lakehouse lakehouse, long epoch, int count, Consumer<String> progress) {
        DistributorContract distributor = new DistributorContract(rpc, deployed.distributor());
        Duration wait = Duration.ofSeconds(distributor.activationDelay() + 120);
        TokenContract token = new TokenContract(rpc, deployed.token());
        List<String> lines = new ArrayList<>();
        for (String account : topAccounts(lakehouse, epoch, count, 0)) {
            EpochClaim.Result r = EpochClaim.run(lakehouse, rpc, epoch, account, admin, wait, development && anvil == null, progress);
            lines.add("claim " + r.line());
            lines.add(String.format("token balance of %s: %s", r.account(), token.balanceOf(r.account())));
            ObjectNode row = claims.addObject();
            row.put("epoch", epoch);
            row.put("account", r.account());
            row.put("cumulative_wei", r.cumulative().toString());
            row.put("paid_wei", r.paid().toString());
            row.putPOJO("tx_hash", r.txHash());
        }
        return lines;
    }

    /** Writes demo.json and returns how to claim by hand for the next account. */
    public List<String> finish(Lakehouse lakehouse, long epoch) throws IOException {
        summary.put("lakehouse", lakehouse.root());
        List<String> lines = new ArrayList<>();
        List<String> next = topAccounts(lakehouse, epoch, 1, 2);
        if (!next.isEmpty()) {
            EpochClaim.Claim claim = EpochClaim.stored(lakehouse, epoch, next.get(0));
            String calldata = DistributorContract.claim(claim.account(), claim.cumulative(), claim.proof());
            ObjectNode example = summary.putObject("claim_example");
            example.put("epoch", epoch);
            example.put("account", claim.account());
            example.put("amount", claim.cumulative().toString());
            ArrayNode proof = example.putArray("proof");
            claim.proof().forEach(proof::add);
            example.put("calldata", calldata);
            lines.add("");
            lines.add("claim by hand with any Ethereum tool: send to the distributor " + deployed.distributor());
            lines.add("  claim(address,uint256,bytes32[]) with " + claim.account() + ", " + claim.cumulative() + ", " + claim.proof());
            lines.add("  (call data " + calldata.substring(0, 10) + "..., in full in demo.json), e.g.");
            lines.add("  cast send " + deployed.distributor() + " 'claim(address,uint256,bytes32[])' " + claim.account() + " "
                    + claim.cumulative() + " '[" + String.join(",", claim.proof()) + "]' --rpc-url " + (anvil != null ? rpc.settings().rpcUrl() : "\"$POA_RPC_URL\"")
                    + " --private-key <any funded key>");
            if (anvil != null) {
                lines.add("  the demo's anvil stops now; to bring the same chain back: "
                        + String.join(" ", anvil.command()).replace(" --silent", "").replace(" --block-time 1", ""));
            }
        }
        Path file = workdir.resolve("demo.json");
        Path temp = workdir.resolve("demo.json.tmp");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), summary);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return lines;
    }

    /** The contributors (not the treasury) with the largest balances of the epoch. */
    private List<String> topAccounts(Lakehouse lakehouse, long epoch, int count, int skip) {
        return lakehouse.read(Tables.MERKLE_PROOFS)
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
