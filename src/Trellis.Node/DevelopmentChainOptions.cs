using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;

namespace Trellis.Node;

/// <summary>What <see cref="DevelopmentChain.CreateOrOpen"/> puts in a new development chain.</summary>
public sealed record DevelopmentChainOptions
{
    /// <summary>10^24 wei (one million ether) per development account.</summary>
    public static readonly UInt256 DefaultAccountBalance = UInt256.Parse("1000000000000000000000000");

    /// <summary>The chain id (default 1337, as Hardhat and Ganache use for local chains).</summary>
    public ulong ChainId { get; init; } = 1337;

    /// <summary>The crypto suite (default standard).</summary>
    public ICryptoSuite Suite { get; init; } = CryptoSuites.Standard;

    /// <summary>Funded development accounts (default 100).</summary>
    public int AccountCount { get; init; } = 100;

    /// <summary>Balance of each development account (default 10^24 wei).</summary>
    public UInt256 AccountBalance { get; init; } = DefaultAccountBalance;

    /// <summary>Block gas limit (default 30,000,000).</summary>
    public ulong BlockGasLimit { get; init; } = 30_000_000;

    /// <summary>Least time between two blocks in milliseconds (default 200).</summary>
    public int BlockIntervalMs { get; init; } = 200;

    /// <summary>Most transactions per block (default 10,000).</summary>
    public int MaxTransactionsPerBlock { get; init; } = 10_000;

    /// <summary>JSON-RPC interface (default 127.0.0.1).</summary>
    public string RpcHost { get; init; } = "127.0.0.1";

    /// <summary>JSON-RPC port (default 8545).</summary>
    public int RpcPort { get; init; } = NodeConfig.DefaultRpcPort;

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ConfigException">A value is out of range.</exception>
    public void Validate()
    {
        if (ChainId == 0)
        {
            throw new ConfigException("chainId", "must be greater than 0");
        }

        if (AccountCount is < 0 or > 100_000)
        {
            throw new ConfigException("accounts", $"must be from 0 to 100000, got {AccountCount}");
        }

        if (BlockGasLimit < 21_000)
        {
            throw new ConfigException("blockGasLimit", $"must be at least 21000, got {BlockGasLimit}");
        }

        if (BlockIntervalMs is < 1 or > int.MaxValue / 4)
        {
            throw new ConfigException("blockIntervalMs", $"must be from 1 to {int.MaxValue / 4}, got {BlockIntervalMs}");
        }

        if (MaxTransactionsPerBlock < 1)
        {
            throw new ConfigException("maxTransactionsPerBlock", $"must be at least 1, got {MaxTransactionsPerBlock}");
        }

        if (RpcPort is < 0 or > 65535)
        {
            throw new ConfigException("rpc.port", $"must be from 0 to 65535, got {RpcPort}");
        }
    }
}
