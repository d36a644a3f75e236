using System.Net;
using System.Net.Sockets;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Transactions;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Integration.Tests;

/// <summary>A node directory for the real process: genesis.json (accounts with keys 1..N funded) and node.json.</summary>
internal sealed class IntegrationNetwork : IDisposable
{
    public const ulong ChainId = 2025;

    public IntegrationNetwork(int accounts, int blockIntervalMs)
    {
        Directory = Path.Combine(Path.GetTempPath(), "trellis-it-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Suite = CryptoSuites.Standard;
        Keys = new PrivateKey[accounts];
        Addresses = new Address[accounts];
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (int i = 0; i < accounts; i++)
        {
            var raw = new byte[32];
            raw[30] = 0x10;
            raw[31] = (byte)(i + 1);
            Keys[i] = Suite.ImportPrivateKey(raw);
            Addresses[i] = Suite.ToAddress(Suite.DerivePublicKey(Keys[i]));
            alloc[Addresses[i]] = new GenesisAccount { Balance = UInt256.Parse("1000000000000000000000") };
        }

        var chain = new ChainConfig
        {
            ChainId = ChainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "solo", BlockIntervalMs = blockIntervalMs },
            BlockGasLimit = 30_000_000,
            Alloc = alloc,
            Members = [new MemberConfig { Name = "it" }],
            Nodes = [new LedgerNodeConfig { Name = "n0", Org = "it", Role = NodeRole.Validator, Address = Address.Parse("0x00000000000000000000000000000000000000c0") }],
        };
        File.WriteAllText(Path.Combine(Directory, "genesis.json"), chain.ToJson(), new UTF8Encoding(false));
        Port = FreePort();
        File.WriteAllText(ConfigFile, $$"""
            { "dataDir": "data", "genesisFile": "genesis.json", "rpc": { "port": {{Port}} }, "logLevel": "warning" }
            """);
    }

    public string Directory { get; }

    public string ConfigFile => Path.Combine(Directory, "node.json");

    public string DataDir => Path.Combine(Directory, "data");

    public int Port { get; }

    public ICryptoSuite Suite { get; }

    public PrivateKey[] Keys { get; }

    public Address[] Addresses { get; }

    /// <summary>A signed EIP-1559 transfer of 1 wei from account <paramref name="from"/> to a fixed sink.</summary>
    public string Transfer(int from, ulong nonce) =>
        Hex.Encode(new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            GasLimit = 21_000,
            To = Address.Parse("0x000000000000000000000000000000000000dead"),
            Value = UInt256.One,
        }.Sign(Suite, Keys[from]).Encode());

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp directory is cleaned eventually.
        }
    }
}
