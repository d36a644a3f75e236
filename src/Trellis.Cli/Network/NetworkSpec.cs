using Trellis.Crypto;

namespace Trellis.Cli.Network;

/// <summary>What <c>trellis up</c> puts in a new network: its shape, consensus, crypto suite and ports.</summary>
internal sealed record NetworkSpec
{
    /// <summary>The most organisations or nodes per organisation accepted (ports and processes on one machine).</summary>
    public const int MaxNodes = 64;

    /// <summary>The smallest block gas limit up accepts: one plain transfer.</summary>
    public const ulong MinBlockGasLimit = 21_000;

    /// <summary>The largest block gas limit up accepts (a block must execute well within a view timeout).</summary>
    public const ulong MaxBlockGasLimit = 1_000_000_000;

    /// <summary>Member organisations (default 4); ignored for solo, which has one.</summary>
    public int Orgs { get; init; } = 4;

    /// <summary>Validators per organisation (default 1); ignored for solo.</summary>
    public int NodesPerOrg { get; init; } = 1;

    /// <summary>"hotstuff" (default), "raft" or "solo".</summary>
    public string Consensus { get; init; } = "hotstuff";

    /// <summary>"standard" (default) or "national".</summary>
    public string Crypto { get; init; } = "standard";

    /// <summary>Node i serves JSON-RPC at BasePort + i and listens for peers at BasePort + 1000 + i.</summary>
    public int BasePort { get; init; } = 8545;

    /// <summary>The interface every node listens on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Chain id (default 1337, as Hardhat and Ganache use for local chains).</summary>
    public ulong ChainId { get; init; } = 1337;

    /// <summary>Least milliseconds between two blocks (default 200).</summary>
    public int BlockIntervalMs { get; init; } = 200;

    /// <summary>Gas limit of every block (default 100,000,000).</summary>
    public ulong BlockGasLimit { get; init; } = NetworkGenerator.DefaultBlockGasLimit;

    /// <summary>Funded development accounts (default 100).</summary>
    public int AccountCount { get; init; } = 100;

    /// <summary>True for the one-node development engine.</summary>
    public bool IsSolo => Consensus == "solo";

    /// <summary>How many nodes the network has: one for solo, else orgs × nodes per org.</summary>
    public int NodeCount => IsSolo ? 1 : Orgs * NodesPerOrg;

    /// <summary>How many organisations the network has: one for solo.</summary>
    public int OrgCount => IsSolo ? 1 : Orgs;

    /// <summary>The suite named by <see cref="Crypto"/>.</summary>
    public ICryptoSuite Suite => CryptoSuites.Get(Crypto);

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="CliException">A value is out of range.</exception>
    public void Validate()
    {
        if (Consensus is not ("hotstuff" or "raft" or "solo"))
        {
            throw new CliException($"--consensus '{Consensus}' is not one of hotstuff, raft, solo");
        }

        if (Crypto is not ("standard" or "national"))
        {
            throw new CliException($"--crypto '{Crypto}' is not one of standard, national");
        }

        if (Orgs is < 1 or > MaxNodes)
        {
            throw new CliException($"--orgs must be from 1 to {MaxNodes}, got {Orgs}");
        }

        if (NodesPerOrg is < 1 or > MaxNodes)
        {
            throw new CliException($"--nodes-per-org must be from 1 to {MaxNodes}, got {NodesPerOrg}");
        }

        if (NodeCount > MaxNodes)
        {
            throw new CliException($"--orgs {Orgs} × --nodes-per-org {NodesPerOrg} = {NodeCount} nodes; the limit on one machine is {MaxNodes}");
        }

        int highest = BasePort + 1000 + NodeCount - 1;
        if (BasePort < 1 || highest > 65535)
        {
            throw new CliException($"--base-port {BasePort} does not fit: the nodes need ports {BasePort} to {BasePort + NodeCount - 1} (JSON-RPC) and {BasePort + 1000} to {highest} (peers), all from 1 to 65535");
        }

        if (ChainId == 0)
        {
            throw new CliException("--chain-id must be greater than 0");
        }

        if (BlockIntervalMs is < 1 or > 3_600_000)
        {
            throw new CliException($"--block-interval must be from 1 to 3600000 milliseconds, got {BlockIntervalMs}");
        }

        if (BlockGasLimit is < MinBlockGasLimit or > MaxBlockGasLimit)
        {
            throw new CliException($"--block-gas-limit must be from {MinBlockGasLimit} (one transfer) to {MaxBlockGasLimit}, got {BlockGasLimit}");
        }

        if (AccountCount is < 0 or > 100_000)
        {
            throw new CliException($"the number of development accounts must be from 0 to 100000, got {AccountCount}");
        }
    }
}
