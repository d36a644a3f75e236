using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Cli.Bench;

/// <summary>
/// The untimed preparation of a run: reach every node, read the chain id, gas price and sender nonces, deploy the
/// workload's contract from the first sender (and for erc20 hand every sender tokens), and estimate the gas of one
/// workload call.
/// </summary>
internal sealed class BenchSetup
{
    /// <summary>The answer of <c>web3_clientVersion</c> by which a sink endpoint is recognised.</summary>
    public const string SinkClientVersion = "trellis-bench-sink";

    // Where a sink run "calls" a contract: no contract is deployed on a sink.
    private static readonly Address SinkContract = Address.Parse("0x00000000000000000000000000000000000be4c0");

    private readonly BenchSettings _settings;
    private readonly BenchTarget _target;
    private readonly TextWriter _log;

    public BenchSetup(BenchSettings settings, BenchTarget target, TextWriter log)
    {
        _settings = settings;
        _target = target;
        _log = log;
    }

    /// <summary>The chain id.</summary>
    public ulong ChainId { get; private set; }

    /// <summary>True when the endpoints are sinks (submission is measured, nothing commits).</summary>
    public bool IsSink { get; private set; }

    /// <summary>The signer for the chain.</summary>
    public BenchSigner Signer { get; private set; } = null!;

    /// <summary>The senders' keys, in the order transactions rotate over them.</summary>
    public IReadOnlyList<PrivateKey> Senders { get; private set; } = [];

    /// <summary>The senders' addresses.</summary>
    public IReadOnlyList<Address> SenderAddresses { get; private set; } = [];

    /// <summary>The next nonce of each sender.</summary>
    public ulong[] Nonces { get; private set; } = [];

    /// <summary>The workload contract, if the workload has one.</summary>
    public Address? Contract { get; private set; }

    /// <summary>The gas limit of each workload transaction.</summary>
    public ulong GasLimit { get; private set; }

    /// <summary>The head block number when setup finished.</summary>
    public ulong StartHeight { get; private set; }

    /// <summary>Runs the setup against <paramref name="clients"/> (one per node, in node order).</summary>
    /// <exception cref="CliException">A node is unreachable, the nodes disagree, or a setup transaction fails.</exception>
    public async Task RunAsync(IReadOnlyList<BenchRpcClient> clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        BenchRpcClient main = clients[0];
        ulong? chainId = null;
        for (int i = 0; i < clients.Count; i++)
        {
            JsonElement[] answers = await CallAsync(clients[i], i, [("eth_chainId", "[]"), ("web3_clientVersion", "[]")], cancellationToken).ConfigureAwait(false);
            ulong id = ReadQuantity(answers[0], "eth_chainId", clients[i]);
            bool sink = answers[1].ValueKind == JsonValueKind.String && answers[1].GetString()!.StartsWith(SinkClientVersion, StringComparison.Ordinal);
            if (chainId is ulong first && first != id)
            {
                throw new CliException($"node {_target.Nodes[i].Name} ({clients[i].Endpoint}) serves chain {id.ToString(CultureInfo.InvariantCulture)}, but {_target.Nodes[0].Name} serves chain {first.ToString(CultureInfo.InvariantCulture)}");
            }

            if (i > 0 && sink != IsSink)
            {
                throw new CliException($"node {_target.Nodes[i].Name} ({clients[i].Endpoint}) is {(sink ? "a bench sink" : "a node")}, but {_target.Nodes[0].Name} is {(IsSink ? "a bench sink" : "a node")}; do not mix them");
            }

            chainId = id;
            IsSink = sink;
        }

        ChainId = chainId!.Value;
        int senders = Math.Min(_settings.Senders, _target.Keys.Count);
        if (senders < _settings.Senders)
        {
            if (_settings.SendersExplicit)
            {
                throw new CliException($"--senders {_settings.Senders.ToString(CultureInfo.InvariantCulture)} asks for more senders than the {_target.Keys.Count.ToString(CultureInfo.InvariantCulture)} keys available");
            }

            _log.WriteLine($"note: using all {senders.ToString(CultureInfo.InvariantCulture)} available sender keys (fewer than the default {_settings.Senders.ToString(CultureInfo.InvariantCulture)})");
        }

        Senders = [.. _target.Keys.Take(senders)];
        ICryptoSuite suite = _target.Suite;
        SenderAddresses = [.. Senders.Select(k => suite.ToAddress(suite.DerivePublicKey(k)))];

        JsonElement gasPrice = (await CallAsync(main, 0, [("eth_gasPrice", "[]")], cancellationToken).ConfigureAwait(false))[0];
        Signer = new BenchSigner(suite, ChainId, UInt256.Parse(ReadString(gasPrice, "eth_gasPrice", main)));
        Nonces = await ReadNoncesAsync(main, cancellationToken).ConfigureAwait(false);

        if (IsSink)
        {
            Contract = _settings.Workload == BenchWorkload.Transfer ? null : SinkContract;
            GasLimit = _settings.Workload switch
            {
                BenchWorkload.Transfer => 21_000,
                BenchWorkload.Erc20 => 60_000,
                BenchWorkload.Kv => 50_000,
                _ => 40_000,
            };
            return;
        }

        byte[]? creation = WorkloadCalls.CreationCode(_settings.Workload);
        if (creation is not null)
        {
            Contract = await DeployAsync(main, creation, cancellationToken).ConfigureAwait(false);
        }

        if (_settings.Workload == BenchWorkload.Erc20 && senders > 1)
        {
            await DistributeTokensAsync(main, cancellationToken).ConfigureAwait(false);
        }

        GasLimit = await EstimateWorkloadGasAsync(main, cancellationToken).ConfigureAwait(false);
        StartHeight = ReadQuantity((await CallAsync(main, 0, [("eth_blockNumber", "[]")], cancellationToken).ConfigureAwait(false))[0], "eth_blockNumber", main);
    }

    /// <summary>The recipient, value and call data of workload transaction <paramref name="index"/>.</summary>
    public (Address To, UInt256 Value, byte[] Data) Call(long index, ReadOnlySpan<byte> runId)
    {
        Address next = SenderAddresses[(int)((index + 1) % SenderAddresses.Count)];
        return _settings.Workload switch
        {
            BenchWorkload.Transfer => (next, UInt256.One, []),
            BenchWorkload.Erc20 => (Contract!.Value, UInt256.Zero, WorkloadCalls.Erc20Transfer(next, UInt256.One)),
            BenchWorkload.Kv => (Contract!.Value, UInt256.Zero, WorkloadCalls.KvSet(runId, index)),
            _ => (Contract!.Value, UInt256.Zero, WorkloadCalls.EvidenceRecord(runId, index)),
        };
    }

    private async Task<ulong[]> ReadNoncesAsync(BenchRpcClient client, CancellationToken cancellationToken)
    {
        var nonces = new ulong[Senders.Count];
        const int chunk = 500;
        for (int start = 0; start < nonces.Length; start += chunk)
        {
            int end = Math.Min(nonces.Length, start + chunk);
            var calls = new List<(string, string)>(end - start);
            for (int i = start; i < end; i++)
            {
                calls.Add(("eth_getTransactionCount", $"[\"{SenderAddresses[i]}\",\"pending\"]"));
            }

            JsonElement[] answers = await CallAsync(client, 0, calls, cancellationToken).ConfigureAwait(false);
            for (int i = start; i < end; i++)
            {
                nonces[i] = ReadQuantity(answers[i - start], "eth_getTransactionCount", client);
            }
        }

        return nonces;
    }

    private async Task<Address> DeployAsync(BenchRpcClient client, byte[] creation, CancellationToken cancellationToken)
    {
        string name = _settings.Workload switch { BenchWorkload.Erc20 => "Erc20", BenchWorkload.Kv => "KvStore", _ => "Evidence" };
        ulong gas = await EstimateAsync(client, SenderAddresses[0], null, creation, $"deploying {name}", cancellationToken).ConfigureAwait(false);
        (Hash256 hash, byte[] raw) = Signer.Sign(Senders[0], Nonces[0]++, null, UInt256.Zero, creation, gas);
        await SendAsync(client, raw, $"deploying {name}", cancellationToken).ConfigureAwait(false);
        JsonElement receipt = await WaitForReceiptAsync(client, hash, $"deploying {name}", cancellationToken).ConfigureAwait(false);
        string? address = receipt.TryGetProperty("contractAddress", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (address is null || !Address.TryParse(address, out Address contract))
        {
            throw new CliException($"deploying {name}: the receipt of {hash} names no contract address");
        }

        // A node may answer with the receipt a moment before calls and estimates see the block's state; estimating
        // against a contract without code would give every transaction too little gas.
        DateTime deadline = DateTime.UtcNow + _settings.Timeout;
        while (true)
        {
            JsonElement code = (await CallAsync(client, 0, [("eth_getCode", $"[\"{contract}\",\"latest\"]")], cancellationToken, $"deploying {name}").ConfigureAwait(false))[0];
            if (code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 2)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new CliException($"deploying {name}: no code at {contract} within {_settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s of its receipt");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        _log.WriteLine($"deployed {name} at {contract} (transaction {hash})");
        return contract;
    }

    private async Task DistributeTokensAsync(BenchRpcClient client, CancellationToken cancellationToken)
    {
        UInt256 share = WorkloadCalls.TokenSupply / new UInt256((ulong)Senders.Count);
        byte[] sample = WorkloadCalls.Erc20Transfer(SenderAddresses[1], share);
        ulong gas = await EstimateAsync(client, SenderAddresses[0], Contract, sample, "distributing tokens", cancellationToken).ConfigureAwait(false);
        var hashes = new List<Hash256>(Senders.Count - 1);
        var calls = new List<(string, string)>();
        for (int i = 1; i < Senders.Count; i++)
        {
            (Hash256 hash, byte[] raw) = Signer.Sign(Senders[0], Nonces[0]++, Contract, UInt256.Zero, WorkloadCalls.Erc20Transfer(SenderAddresses[i], share), gas);
            hashes.Add(hash);
            calls.Add(("eth_sendRawTransaction", $"[\"{Hex.Encode(raw)}\"]"));
        }

        for (int start = 0; start < calls.Count; start += 500)
        {
            await CallAsync(client, 0, calls.GetRange(start, Math.Min(500, calls.Count - start)), cancellationToken, "distributing tokens").ConfigureAwait(false);
        }

        // One sender's transactions commit in nonce order: the last one's receipt means all are in; check each status.
        await WaitForReceiptAsync(client, hashes[^1], "distributing tokens", cancellationToken).ConfigureAwait(false);
        foreach (Hash256 hash in hashes)
        {
            await WaitForReceiptAsync(client, hash, "distributing tokens", cancellationToken).ConfigureAwait(false);
        }

        _log.WriteLine($"gave {(Senders.Count - 1).ToString(CultureInfo.InvariantCulture)} senders tokens");
    }

    private async Task<ulong> EstimateWorkloadGasAsync(BenchRpcClient client, CancellationToken cancellationToken)
    {
        if (_settings.Workload == BenchWorkload.Transfer)
        {
            return 21_000;
        }

        // A fresh run id, so the estimate writes a fresh slot as every timed transaction will.
        (Address to, _, byte[] data) = Call(0, Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        return await EstimateAsync(client, SenderAddresses[0], to, data, "estimating the workload's gas", cancellationToken).ConfigureAwait(false);
    }

    private async Task<ulong> EstimateAsync(BenchRpcClient client, Address from, Address? to, byte[] data, string what, CancellationToken cancellationToken)
    {
        string call = to is Address target
            ? $"[{{\"from\":\"{from}\",\"to\":\"{target}\",\"data\":\"{Hex.Encode(data)}\"}}]"
            : $"[{{\"from\":\"{from}\",\"data\":\"{Hex.Encode(data)}\"}}]";
        JsonElement answer = (await CallAsync(client, 0, [("eth_estimateGas", call)], cancellationToken, what).ConfigureAwait(false))[0];
        ulong estimate = ReadQuantity(answer, "eth_estimateGas", client);

        // Headroom as the SDK's signer adds: state can change between the estimate and inclusion.
        return estimate + (estimate / 5);
    }

    private async Task SendAsync(BenchRpcClient client, byte[] raw, string what, CancellationToken cancellationToken) =>
        await CallAsync(client, 0, [("eth_sendRawTransaction", $"[\"{Hex.Encode(raw)}\"]")], cancellationToken, what).ConfigureAwait(false);

    private async Task<JsonElement> WaitForReceiptAsync(BenchRpcClient client, Hash256 hash, string what, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + _settings.Timeout;
        while (true)
        {
            JsonElement receipt = (await CallAsync(client, 0, [("eth_getTransactionReceipt", $"[\"{hash}\"]")], cancellationToken, what).ConfigureAwait(false))[0];
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                string status = receipt.TryGetProperty("status", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "?";
                if (status != "0x1")
                {
                    throw new CliException($"{what}: transaction {hash} failed (receipt status {status})");
                }

                return receipt;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new CliException($"{what}: transaction {hash} was not committed within {_settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (--timeout)");
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonElement[]> CallAsync(BenchRpcClient client, int node, IReadOnlyList<(string Method, string ParamsJson)> calls, CancellationToken cancellationToken, string? what = null)
    {
        try
        {
            return await client.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"node {_target.Nodes[node].Name} at {client.Endpoint} is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"node {_target.Nodes[node].Name} at {client.Endpoint} did not answer in time", e);
        }
        catch (BenchRpcException e)
        {
            throw new CliException(what is null ? e.Message : $"{what}: {e.Message}", e);
        }
    }

    private static ulong ReadQuantity(JsonElement value, string method, BenchRpcClient client)
    {
        string text = ReadString(value, method, client);
        if (text.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong number))
        {
            return number;
        }

        throw new CliException($"{method} on {client.Endpoint} answered '{text}', not a hex quantity");
    }

    private static string ReadString(JsonElement value, string method, BenchRpcClient client) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new CliException($"{method} on {client.Endpoint} answered {value.ValueKind}, not a string");
}
