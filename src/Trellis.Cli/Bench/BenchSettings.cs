using System.Globalization;

namespace Trellis.Cli.Bench;

/// <summary>The checked options of one <c>trellis bench</c> run.</summary>
internal sealed record BenchSettings
{
    /// <summary>Senders used when <c>--senders</c> is not given.</summary>
    public const int DefaultSenders = 100;

    /// <summary>Transactions per JSON-RPC batch when <c>--batch</c> is not given.</summary>
    public const int DefaultBatch = 100;

    /// <summary>Batches in flight when <c>--concurrency</c> is not given.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>
    /// Submitted but not yet committed transactions a closed loop allows when <c>--max-pending</c> is not given: below
    /// the default pool size (10,000), so a closed loop saturates the chain without being refused for a full pool.
    /// </summary>
    public const int DefaultMaxPending = 8000;

    /// <summary>The workload.</summary>
    public BenchWorkload Workload { get; init; }

    /// <summary>Transactions to submit (timed).</summary>
    public int Transactions { get; init; }

    /// <summary>Sender accounts (transactions go round-robin over them).</summary>
    public int Senders { get; init; } = DefaultSenders;

    /// <summary>True when <c>--senders</c> was given (then too few accounts is an error rather than a note).</summary>
    public bool SendersExplicit { get; init; }

    /// <summary>Open-loop rate in transactions per second; null runs a closed loop at the maximum rate.</summary>
    public double? Rate { get; init; }

    /// <summary>The submission transport.</summary>
    public BenchTransport Transport { get; init; } = BenchTransport.Http;

    /// <summary>Transactions per JSON-RPC batch.</summary>
    public int Batch { get; init; } = DefaultBatch;

    /// <summary>Batches in flight at once (HTTP requests or WebSocket connections).</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>
    /// Closed loop only: the most submitted transactions not yet seen in a block; 0 means no bound; null picks 80% of
    /// the chain's pool size when the genesis file is at hand, else <see cref="DefaultMaxPending"/>.
    /// </summary>
    public int? MaxPending { get; init; }

    /// <summary>The network directory (<c>--dir</c>), if given.</summary>
    public string? Directory { get; init; }

    /// <summary>JSON-RPC URLs given with <c>--rpc</c>; empty when the directory names them.</summary>
    public IReadOnlyList<Uri> RpcUrls { get; init; } = [];

    /// <summary>A file of sender keys (<c>--keys</c>), overriding the directory's accounts.json.</summary>
    public string? KeysFile { get; init; }

    /// <summary>The crypto suite name given with <c>--crypto</c>, if any.</summary>
    public string? Crypto { get; init; }

    /// <summary>Where to write the JSON result, if anywhere.</summary>
    public string? JsonFile { get; init; }

    /// <summary>Where to write the HTML report, if anywhere.</summary>
    public string? HtmlFile { get; init; }

    /// <summary>How long to wait for commits after the last submission.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Also measure (or only measure, without a network) the generator's ceiling against an in-process sink.</summary>
    public bool Sink { get; init; }

    /// <summary>How often the commit tracker asks for the head block.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>True when no network was named: only the sink is measured.</summary>
    public bool SinkOnly => Sink && Directory is null && RpcUrls.Count == 0;

    /// <summary>Parses a workload name, naming the known ones when it is not one of them.</summary>
    /// <exception cref="CliException">Unknown name.</exception>
    public static BenchWorkload ParseWorkload(string? name) => name?.ToLowerInvariant() switch
    {
        "transfer" => BenchWorkload.Transfer,
        "erc20" => BenchWorkload.Erc20,
        "kv" => BenchWorkload.Kv,
        "evidence" => BenchWorkload.Evidence,
        _ => throw new CliException($"unknown workload '{name}' (known: transfer, erc20, kv, evidence)"),
    };

    /// <summary>Parses a transport name.</summary>
    /// <exception cref="CliException">Unknown name.</exception>
    public static BenchTransport ParseTransport(string? name) => name?.ToLowerInvariant() switch
    {
        "http" => BenchTransport.Http,
        "ws" or "websocket" => BenchTransport.WebSocket,
        _ => throw new CliException($"unknown transport '{name}' (known: http, ws)"),
    };

    /// <summary>Parses <c>--rpc</c>: comma-separated absolute http(s) URLs.</summary>
    /// <exception cref="CliException">An empty list or a URL that is not absolute http or https.</exception>
    public static IReadOnlyList<Uri> ParseRpcUrls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var urls = new List<Uri>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
            {
                throw new CliException($"--rpc: '{part}' is not an http:// or https:// URL (for example http://127.0.0.1:8545)");
            }

            urls.Add(url);
        }

        if (urls.Count == 0)
        {
            throw new CliException("--rpc: no URL given (for example --rpc http://127.0.0.1:8545,http://127.0.0.1:8546)");
        }

        return urls;
    }

    /// <summary>Checks the numeric options, naming the first bad one.</summary>
    /// <exception cref="CliException">An option is out of range or options conflict.</exception>
    public void Validate()
    {
        if (Transactions <= 0)
        {
            throw new CliException($"--txs must be a positive number of transactions, got {Transactions.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Senders <= 0)
        {
            throw new CliException($"--senders must be at least 1, got {Senders.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Batch is <= 0 or > 1000)
        {
            throw new CliException($"--batch must be from 1 to 1000 transactions per request (the node's default batch limit), got {Batch.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Concurrency is <= 0 or > 1024)
        {
            throw new CliException($"--concurrency must be from 1 to 1024, got {Concurrency.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Rate is double rate && (!double.IsFinite(rate) || rate <= 0))
        {
            throw new CliException($"--rate must be a positive number of transactions per second, got {rate.ToString(CultureInfo.InvariantCulture)}");
        }

        if (MaxPending is int maxPending && maxPending < 0)
        {
            throw new CliException($"--max-pending must be 0 (no bound) or positive, got {maxPending.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new CliException($"--timeout must be a positive number of seconds, got {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!Sink && Directory is null && RpcUrls.Count == 0)
        {
            throw new CliException("no network to benchmark: give --dir DIR (a directory made by 'trellis up') or --rpc URL[,URL...], or --sink to measure the generator alone");
        }
    }
}
