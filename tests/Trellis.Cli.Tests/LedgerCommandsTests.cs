using Microsoft.Data.Sqlite;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Cli.Tests;

public sealed class LedgerCommandsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-cli-ledger-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Verify_PrintsOkWithTheBlockCountAndHeadForAnIntactLedger()
    {
        Hash256 head = WriteLedger(blocks: 4);

        var (code, output, error) = CliRunner.Run("ledger", "verify", "--data", _directory);

        Assert.Equal(0, code);
        Assert.Equal($"ledger ok: 5 blocks, head {head}", output.Trim());
        Assert.Contains("verified block 4 of 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NamesTheTamperedBlockAndExitsWithOne()
    {
        WriteLedger(blocks: 4);
        Hash256 third = TamperWithBody(height: 3);

        var (code, output, _) = CliRunner.Run("ledger", "verify", "--data", _directory);
        var (headersCode, headersOutput, _) = CliRunner.Run("ledger", "verify", "--data", _directory, "--headers-only");

        Assert.Equal(1, code);
        Assert.StartsWith($"ledger BAD at block 3 ({third}): the transactions root ", output.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, headersCode);
        Assert.StartsWith("ledger ok: 5 blocks", headersOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ReportsAMissingDirectoryOrFileInOneLine()
    {
        var (missingDirCode, _, missingDir) = CliRunner.Run("ledger", "verify", "--data", Path.Combine(_directory, "nope"));
        Directory.CreateDirectory(_directory);
        var (missingDbCode, _, missingDb) = CliRunner.Run("ledger", "verify", "--data", _directory);
        File.WriteAllBytes(Path.Combine(_directory, "chain.db"), []);
        var (missingGenesisCode, _, missingGenesis) = CliRunner.Run("ledger", "verify", "--data", _directory);

        Assert.Equal(1, missingDirCode);
        Assert.Equal($"error: data directory '{Path.Combine(_directory, "nope")}' does not exist", missingDir.Trim());
        Assert.Equal(1, missingDbCode);
        Assert.Equal($"error: '{Path.Combine(_directory, "chain.db")}' does not exist: '{_directory}' is not a node data directory", missingDb.Trim());
        Assert.Equal(1, missingGenesisCode);
        Assert.Single(missingGenesis.Trim().Split('\n'));
        Assert.Contains("genesis.json", missingGenesis, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ReportsAFileThatIsNotADatabase()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "chain.db"), "this is not a SQLite database, just some text that is long enough");
        File.WriteAllText(Path.Combine(_directory, "genesis.json"), Config().ToJson());

        var (code, _, error) = CliRunner.Run("ledger", "verify", "--data", _directory);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Verify_RequiresTheDataOption()
    {
        var (code, _, error) = CliRunner.Run("ledger", "verify");

        Assert.NotEqual(0, code);
        Assert.Contains("--data", error, StringComparison.Ordinal);
    }

    private static ChainConfig Config(string funded = "0x1000000000000000000000000000000000000001") => ChainConfig.Parse($$"""
        {
          "chainId": 77,
          "cryptoSuite": "standard",
          "consensus": { "engine": "solo" },
          "blockGasLimit": 30000000,
          "alloc": { "{{funded}}": { "balance": "1000000" } },
          "members": [ { "name": "org" } ],
          "nodes": [ { "name": "n1", "org": "org", "role": "validator", "address": "0x00000000000000000000000000000000000000a1" } ]
        }
        """);

    // A funded sender signs one transfer per block; the ledger lives in DIR/chain.db with DIR/genesis.json.
    private Hash256 WriteLedger(int blocks)
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        PrivateKey key = suite.ImportPrivateKey(Convert.FromHexString("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"));
        Address sender = suite.ToAddress(suite.DerivePublicKey(key));
        ChainConfig config = Config(sender.ToLowerHex());
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "genesis.json"), config.ToJson());
        using SqliteStore store = SqliteStore.Open(Path.Combine(_directory, "chain.db"));
        var chain = new BlockStore(store, suite);
        chain.Initialize(config);
        var executor = new BlockExecutor(suite, config);
        var validator = new TransactionValidator(suite, config.ChainId);
        for (int i = 0; i < blocks; i++)
        {
            Transaction transaction = new TransactionBuilder { ChainId = config.ChainId, Nonce = (ulong)i, To = Address.Parse("0x00000000000000000000000000000000000000bb"), Value = UInt256.One }.Sign(suite, key);
            Assert.True(validator.Validate(transaction, out VerifiedTransaction? verified).IsValid);
            var state = new WorldState(store, suite, chain.Head!.StateRoot);
            var context = new BlockProposalContext(chain.Head.Height + 1, chain.Head.Timestamp + 1, Address.Zero, config.BlockGasLimit);
            BlockExecutionResult result = executor.Execute(state, chain.Head, context, [verified!], skipInvalid: false);
            Assert.True(result.IsValid, result.InvalidReason);
            chain.Commit(result.Block, result, state);
        }

        return chain.HeadHash;
    }

    private Hash256 TamperWithBody(ulong height)
    {
        using SqliteStore store = SqliteStore.Open(Path.Combine(_directory, "chain.db"));
        Hash256 hash = new BlockStore(store, CryptoSuites.Standard).GetBlockHash(height)!.Value;
        byte[] key = [(byte)'b', .. hash.Bytes];
        byte[] body = store.Get(key)!;
        body[^1] ^= 0x01;
        using IWriteBatch batch = store.StartBatch();
        batch.Put(key, body);
        batch.Commit();
        return hash;
    }
}
