namespace Trellis.Node.Rpc;

/// <summary>Limits and identity of the eth_/net_/web3_ methods.</summary>
public sealed record EthRpcOptions
{
    /// <summary>The web3_clientVersion answer.</summary>
    public string ClientVersion { get; init; } = "Trellis/v0.1.0/linux/dotnet10";

    /// <summary>Widest block range of eth_getLogs and log filters (default 10,000 blocks); wider gets -32005.</summary>
    public ulong MaxLogBlockRange { get; init; } = 10_000;

    /// <summary>Most logs one eth_getLogs answer may hold (default 10,000); more gets -32005.</summary>
    public int MaxLogResults { get; init; } = 10_000;

    /// <summary>Most blocks one eth_feeHistory call covers (default 1024, as in geth).</summary>
    public int MaxFeeHistoryBlocks { get; init; } = 1024;

    /// <summary>Most reward percentiles in eth_feeHistory (default 100).</summary>
    public int MaxFeeHistoryPercentiles { get; init; } = 100;

    /// <summary>An installed filter not polled for this long is removed (default 5 minutes).</summary>
    public TimeSpan FilterTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Most filters installed at once (default 10,000); more gets -32005.</summary>
    public int MaxFilters { get; init; } = 10_000;

    /// <summary>Most unpolled changes one filter keeps; the oldest are dropped beyond it (default 10,000).</summary>
    public int MaxFilterChanges { get; init; } = 10_000;

    /// <summary>Most subscriptions on one WebSocket connection (default 1,000).</summary>
    public int MaxSubscriptionsPerConnection { get; init; } = 1_000;
}
