using System.Text;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Transactions;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Node.Tests.Node;

/// <summary>
/// A node directory with a genesis file: accounts with keys 1, 2, 3 funded, and three tiny contracts whose
/// behaviour follows from the EVM rules (returns 42, reverts with 0xab, writes storage slot 0).
/// </summary>
internal sealed class NodeFixture : IDisposable
{
    public const ulong ChainId = 31337;

    public static readonly Address Returns42 = Address.Parse("0x00000000000000000000000000000000000c0de1");

    public static readonly Address RevertsAb = Address.Parse("0x00000000000000000000000000000000000c0de2");

    public static readonly Address WritesSlot = Address.Parse("0x00000000000000000000000000000000000c0de3");

    public static readonly Address EmitsLog = Address.Parse("0x00000000000000000000000000000000000c0de4");

    public static readonly UInt256 Funding = UInt256.Parse("1000000000000000000000");

    public NodeFixture(ulong chainId = ChainId, int blockIntervalMs = 10)
    {
        Directory = Path.Combine(Path.GetTempPath(), "trellis-node-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Suite = CryptoSuites.Standard;
        Keys = new PrivateKey[3];
        Addresses = new Address[3];
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (int i = 0; i < Keys.Length; i++)
        {
            var raw = new byte[32];
            raw[31] = (byte)(i + 1);
            Keys[i] = Suite.ImportPrivateKey(raw);
            Addresses[i] = Suite.ToAddress(Suite.DerivePublicKey(Keys[i]));
            alloc[Addresses[i]] = new GenesisAccount { Balance = Funding };
        }

        // PUSH1 42, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
        alloc[Returns42] = new GenesisAccount { Code = Hex.Decode("0x602a60005260206000f3") };

        // PUSH1 0xab, PUSH1 0, MSTORE8, PUSH1 1, PUSH1 0, REVERT
        alloc[RevertsAb] = new GenesisAccount { Code = Hex.Decode("0x60ab60005360016000fd") };

        // PUSH1 1, PUSH1 0, SSTORE, STOP
        alloc[WritesSlot] = new GenesisAccount { Code = Hex.Decode("0x600160005500") };

        // PUSH1 0xaa, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, LOG0, STOP
        alloc[EmitsLog] = new GenesisAccount { Code = Hex.Decode("0x60aa60005260206000a000") };

        var chain = new ChainConfig
        {
            ChainId = chainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "solo", BlockIntervalMs = blockIntervalMs },
            BlockGasLimit = 30_000_000,
            Alloc = alloc,
            Members = [new MemberConfig { Name = "dev" }],
            Nodes = [new LedgerNodeConfig { Name = "n0", Org = "dev", Role = NodeRole.Validator, Address = Address.Parse("0x00000000000000000000000000000000000000c0") }],
        };
        GenesisFile = Path.Combine(Directory, "genesis.json");
        File.WriteAllText(GenesisFile, chain.ToJson(), new UTF8Encoding(false));
        Config = new NodeConfig { DataDir = Path.Combine(Directory, "data"), GenesisFile = GenesisFile, RpcPort = 0 };
    }

    public string Directory { get; }

    public string GenesisFile { get; }

    public NodeConfig Config { get; }

    public ICryptoSuite Suite { get; }

    public PrivateKey[] Keys { get; }

    public Address[] Addresses { get; }

    public string Transfer(int from, ulong nonce, Address to, UInt256 wei, ulong chainId = ChainId) =>
        Sign(from, nonce, to, wei, 21_000, chainId);

    public string Sign(int from, ulong nonce, Address to, UInt256 wei, ulong gas, ulong chainId = ChainId) =>
        Hex.Encode(new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = UInt256.One,
            MaxFeePerGas = UInt256.One,
            GasLimit = gas,
            To = to,
            Value = wei,
        }.Sign(Suite, Keys[from]).Encode());

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
