using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Node;

/// <summary>
/// Creates (or finds) a one-node development chain in a directory, as <c>trellis up --consensus solo</c> does:
/// <c>genesis.json</c>, <c>node0/node.json</c>, <c>accounts.json</c> (funded development keys, a plain JSON list) and
/// <c>ACCOUNTS-ARE-DEVELOPMENT-ONLY.txt</c> beside it. The keys are written in the clear: development only.
/// </summary>
public static class DevelopmentChain
{
    /// <summary>The chain file, in the network directory.</summary>
    public const string GenesisFileName = "genesis.json";

    /// <summary>The development accounts, in the network directory.</summary>
    public const string AccountsFileName = "accounts.json";

    /// <summary>The warning written beside <see cref="AccountsFileName"/>.</summary>
    public const string WarningFileName = "ACCOUNTS-ARE-DEVELOPMENT-ONLY.txt";

    /// <summary>The node's directory inside the network directory.</summary>
    public const string NodeDirectoryName = "node0";

    /// <summary>The node configuration file inside <see cref="NodeDirectoryName"/>.</summary>
    public const string NodeConfigFileName = "node.json";

    private const string WarningText =
        "The private keys in accounts.json are stored in the clear and are for DEVELOPMENT ONLY.\n" +
        "Anyone who can read this directory can spend from these accounts. Never fund them on a chain that matters,\n" +
        "and never reuse them outside this development network.\n";

    /// <summary>
    /// Creates the network in <paramref name="directory"/> if it holds none, or returns the existing one unchanged
    /// (so running <c>up</c> again resumes with the same chain and data). An existing network is never rewritten;
    /// <paramref name="options"/> apply only when creating.
    /// </summary>
    /// <exception cref="ConfigException">The directory holds part of a network, or something else.</exception>
    public static DevelopmentChainLayout CreateOrOpen(string directory, DevelopmentChainOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string root = Path.GetFullPath(directory);
        var layout = new DevelopmentChainLayout(root);
        bool hasGenesis = File.Exists(layout.GenesisFile);
        bool hasNode = File.Exists(layout.NodeConfigFile);
        if (hasGenesis && hasNode)
        {
            return layout with { Created = false };
        }

        if (hasGenesis || hasNode)
        {
            string missing = hasGenesis ? layout.NodeConfigFile : layout.GenesisFile;
            throw new ConfigException(string.Empty, $"'{root}' holds part of a Trellis network: '{missing}' is missing (remove the directory to start afresh)");
        }

        if (File.Exists(root))
        {
            throw new ConfigException(string.Empty, $"'{root}' is a file, not a directory");
        }

        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new ConfigException(string.Empty, $"'{root}' is not empty and holds no Trellis network ({GenesisFileName} is missing); pick an empty or new directory");
        }

        Directory.CreateDirectory(layout.NodeDirectory);
        ICryptoSuite suite = options.Suite;

        var accounts = new List<(Address Address, PrivateKey Key)>(options.AccountCount);
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (int i = 0; i < options.AccountCount; i++)
        {
            PrivateKey key = suite.GeneratePrivateKey();
            Address address = suite.ToAddress(suite.DerivePublicKey(key));
            accounts.Add((address, key));
            alloc[address] = new GenesisAccount { Balance = options.AccountBalance };
        }

        // The Solo node signs nothing yet; its key only names the proposer, so only its public half is kept.
        PublicKey nodeKey = suite.DerivePublicKey(suite.GeneratePrivateKey());
        var chain = new ChainConfig
        {
            ChainId = options.ChainId,
            Suite = suite,
            Consensus = new ConsensusConfig
            {
                Engine = "solo",
                BlockIntervalMs = options.BlockIntervalMs,
                MaxTransactionsPerBlock = options.MaxTransactionsPerBlock,
                ViewTimeoutMs = options.BlockIntervalMs * 4,
            },
            BlockGasLimit = options.BlockGasLimit,
            Alloc = alloc,
            Members = [new MemberConfig { Name = "dev" }],
            Nodes = [new LedgerNodeConfig { Name = NodeDirectoryName, Org = "dev", Role = NodeRole.Validator, PublicKey = nodeKey, Address = suite.ToAddress(nodeKey) }],
        };

        var node = new NodeConfig
        {
            DataDir = Path.Combine(layout.NodeDirectory, "data"),
            GenesisFile = layout.GenesisFile,
            NodeName = NodeDirectoryName,
            RpcHost = options.RpcHost,
            RpcPort = options.RpcPort,
        };

        WriteAtomically(layout.AccountsFile, WriteAccounts(accounts));
        WriteAtomically(layout.WarningFile, WarningText);
        WriteAtomically(layout.NodeConfigFile, node.ToJson(layout.NodeDirectory));

        // Written last: its presence (with the node file) is what marks a complete network.
        WriteAtomically(layout.GenesisFile, chain.ToJson());
        return layout with { Created = true };
    }

    private static string WriteAccounts(List<(Address Address, PrivateKey Key)> accounts)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach ((Address address, PrivateKey key) in accounts)
            {
                writer.WriteStartObject();
                writer.WriteString("address", address.ToString());
                writer.WriteString("privateKey", key.ToHex());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            // Keys and configuration are for this user only.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
