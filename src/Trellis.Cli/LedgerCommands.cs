using System.CommandLine;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Verification;
using Trellis.State.Storage;

namespace Trellis.Cli;

/// <summary><c>trellis ledger ...</c>: inspect a node's stored ledger.</summary>
internal static class LedgerCommands
{
    /// <summary>The node's SQLite database inside its data directory.</summary>
    public const string DatabaseFile = "chain.db";

    /// <summary>The chain configuration inside a node's data directory.</summary>
    public const string GenesisFile = "genesis.json";

    public static Command Build(CommandContext context)
    {
        var ledger = new Command("ledger", "Inspect a node's stored ledger.");
        ledger.Subcommands.Add(BuildVerify(context));
        return ledger;
    }

    private static Command BuildVerify(CommandContext context)
    {
        var dataOption = new Option<string>("--data", "-d")
        {
            Description = $"The node's data directory (holding {DatabaseFile} and {GenesisFile}).",
            Required = true,
        };
        var headersOnlyOption = new Option<bool>("--headers-only")
        {
            Description = "Check only hash links, heights and header hashes (fast); skip roots, re-execution and the state trie walk.",
        };
        var command = new Command(
            "verify",
            "Re-check a stored ledger from genesis: hash links, transactions and receipts roots, state roots by re-execution, and the stored state trie. Names the first bad block; exit code 0 if the ledger is intact, 1 otherwise.")
        {
            dataOption, headersOnlyOption,
        };
        command.SetAction(parse => Verify(context, parse.GetValue(dataOption)!, parse.GetValue(headersOnlyOption)));
        return command;
    }

    private static int Verify(CommandContext context, string data, bool headersOnly)
    {
        if (!Directory.Exists(data))
        {
            context.Error.WriteLine($"error: data directory '{data}' does not exist");
            return 1;
        }

        string database = Path.Combine(data, DatabaseFile);
        string genesis = Path.Combine(data, GenesisFile);
        if (!File.Exists(database))
        {
            context.Error.WriteLine($"error: '{database}' does not exist: '{data}' is not a node data directory");
            return 1;
        }

        ChainConfig config;
        try
        {
            config = ChainConfig.Load(genesis);
        }
        catch (ConfigException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        SqliteStore store;
        try
        {
            store = SqliteStore.Open(database);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        using (store)
        {
            var verifier = new LedgerVerifier(config.Suite, config);
            VerifyResult result = verifier.Verify(store, headersOnly, new ProgressPrinter(context.Error));
            context.Output.WriteLine(result.ToString());
            return result.IsValid ? 0 : 1;
        }
    }

    // Prints a line per tenth of the chain (synchronously: System.Progress would post to the thread pool).
    private sealed class ProgressPrinter(TextWriter writer) : IProgress<VerifyProgress>
    {
        private int _lastTenth = -1;

        public void Report(VerifyProgress value)
        {
            int tenth = value.HeadHeight == 0 ? 10 : (int)(value.Height * 10 / value.HeadHeight);
            if (tenth != _lastTenth)
            {
                _lastTenth = tenth;
                writer.WriteLine($"verified block {value.Height} of {value.HeadHeight}");
            }
        }
    }
}
