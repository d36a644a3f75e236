namespace Trellis.Cli.Network;

/// <summary>
/// What <c>trellis up</c> was asked for. Options left null were not given: a new network takes their defaults, and an
/// existing one keeps what it has (a given option that differs from it is refused).
/// </summary>
internal sealed record UpRequest
{
    /// <summary>The network directory.</summary>
    public required string Directory { get; init; }

    /// <summary>--orgs.</summary>
    public int? Orgs { get; init; }

    /// <summary>--nodes-per-org.</summary>
    public int? NodesPerOrg { get; init; }

    /// <summary>--consensus.</summary>
    public string? Consensus { get; init; }

    /// <summary>--crypto.</summary>
    public string? Crypto { get; init; }

    /// <summary>--base-port.</summary>
    public int? BasePort { get; init; }

    /// <summary>--chain-id.</summary>
    public ulong? ChainId { get; init; }

    /// <summary>--block-interval (milliseconds).</summary>
    public int? BlockIntervalMs { get; init; }

    /// <summary>--block-gas-limit.</summary>
    public ulong? BlockGasLimit { get; init; }

    /// <summary>--detach: return once every node answers, leaving them running.</summary>
    public bool Detach { get; init; }

    /// <summary>How long to wait for every node to answer JSON-RPC.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The spec of a new network: the given options over the defaults.</summary>
    public NetworkSpec ToSpec()
    {
        var defaults = new NetworkSpec();
        return new NetworkSpec
        {
            Orgs = Orgs ?? defaults.Orgs,
            NodesPerOrg = NodesPerOrg ?? defaults.NodesPerOrg,
            Consensus = Consensus ?? defaults.Consensus,
            Crypto = Crypto ?? defaults.Crypto,
            BasePort = BasePort ?? defaults.BasePort,
            ChainId = ChainId ?? defaults.ChainId,
            BlockIntervalMs = BlockIntervalMs ?? defaults.BlockIntervalMs,
            BlockGasLimit = BlockGasLimit ?? defaults.BlockGasLimit,
        };
    }
}
