using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;
using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// A multi-node network made and started by the real <c>trellis up --detach</c> in a temporary directory, with the
/// means to stop and restart single nodes, drive transactions and compare the nodes' ledgers. Disposing it runs
/// <c>trellis down</c> and deletes the directory.
/// </summary>
internal sealed class ConsortiumNetwork : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, TrellisProcess> _restarted = new(StringComparer.Ordinal);

    private ConsortiumNetwork(string directory, ITestOutputHelper output, string[] names, Uri[] rpc, ulong chainId)
    {
        Directory = directory;
        _output = output;
        Names = names;
        Rpc = rpc;
        ChainId = chainId;
        Clients = [.. rpc.Select(u => new RpcClient(u))];
    }

    public string Directory { get; }

    public string[] Names { get; }

    public Uri[] Rpc { get; }

    public RpcClient[] Clients { get; }

    public ulong ChainId { get; }

    /// <summary>
    /// Runs <c>trellis up --detach</c> for a new network in a temporary directory on free ports, in the crypto suite
    /// <paramref name="crypto"/> (up's default, standard, when null).
    /// </summary>
    public static async Task<ConsortiumNetwork> UpAsync(ITestOutputHelper output, string consensus, int orgs, int blockIntervalMs = 100, string? crypto = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "trellis-consortium-" + Guid.NewGuid().ToString("N"));
        int basePort = FreeBasePort(orgs);
        string[] arguments =
        [
            "up", "--detach", "--consensus", consensus, "--orgs", orgs.ToString(CultureInfo.InvariantCulture), "--dir", directory,
            "--base-port", basePort.ToString(CultureInfo.InvariantCulture), "--block-interval", blockIntervalMs.ToString(CultureInfo.InvariantCulture),
            .. crypto is null ? Array.Empty<string>() : ["--crypto", crypto],
        ];
        var up = await TrellisProcess.RunAsync(CommandTimeout, arguments);
        output.WriteLine(up.Output);
        if (up.ExitCode != 0)
        {
            string logs = string.Join("\n", System.IO.Directory.Exists(Path.Combine(directory, "nodes"))
                ? System.IO.Directory.GetFiles(Path.Combine(directory, "nodes"), "node.log", SearchOption.AllDirectories).Select(f => f + ":\n" + File.ReadAllText(f))
                : []);
            await TrellisProcess.RunAsync(CommandTimeout, "down", "--dir", directory);
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            throw new InvalidOperationException($"trellis up failed ({up.ExitCode}): {up.Error}\n{logs}");
        }

        using JsonDocument manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "network.json")));
        JsonElement[] nodes = [.. manifest.RootElement.GetProperty("nodes").EnumerateArray()];
        return new ConsortiumNetwork(
            directory,
            output,
            [.. nodes.Select(n => n.GetProperty("name").GetString()!)],
            [.. nodes.Select(n => new Uri(n.GetProperty("rpc").GetString()!))],
            manifest.RootElement.GetProperty("chainId").GetUInt64());
    }

    /// <summary>Stops node <paramref name="index"/> as <c>down</c> would (SIGTERM, wait) and waits until it is gone.</summary>
    public async Task StopAsync(int index)
    {
        string name = Names[index];
        if (_restarted.Remove(name, out TrellisProcess? process))
        {
            process.Terminate();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            process.Dispose();
        }
        else
        {
            string pidFile = PidFile(index);
            int pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            using var signal = System.Diagnostics.Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (IsRunning(pid))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{name} (pid {pid}) did not stop within 30 s");
                }

                await Task.Delay(50);
            }
        }

        File.Delete(PidFile(index));
        _output.WriteLine($"stopped {name}");
    }

    /// <summary>Starts node <paramref name="index"/> again as its own process and waits until it serves.</summary>
    public async Task StartAsync(int index)
    {
        string name = Names[index];
        TrellisProcess process = TrellisProcess.Start("node", "run", "--config", Path.Combine(Directory, "nodes", name, "node.json"));
        _restarted[name] = process;

        // So that `trellis down` stops it too, as it would a node up started.
        await File.WriteAllTextAsync(PidFile(index), process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        _output.WriteLine($"started {name}");
    }

    /// <summary>Removes node <paramref name="index"/>'s ledger (it must be stopped): it will start from genesis.</summary>
    public void WipeData(int index) => System.IO.Directory.Delete(Path.Combine(Directory, "nodes", Names[index], "data"), recursive: true);

    /// <summary>The head height of node <paramref name="index"/>.</summary>
    public Task<ulong> HeightAsync(int index) => Clients[index].QuantityAsync("eth_blockNumber");

    /// <summary>Waits until every listed node reaches <paramref name="height"/>.</summary>
    public async Task WaitForHeightAsync(ulong height, TimeSpan timeout, params int[] nodes)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        foreach (int index in nodes)
        {
            while (true)
            {
                ulong current = await HeightAsync(index);
                if (current >= height)
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{Names[index]} is at height {current}, not {height}, after {timeout.TotalSeconds:0} s\n{LogTails(60)}");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>Block hashes of node <paramref name="index"/> at heights 0..<paramref name="last"/>, by batch requests.</summary>
    public Task<string[]> BlockHashesAsync(int index, ulong last) => BlockHashesAsync(Clients[index], last);

    /// <summary>Block hashes at heights 0..<paramref name="last"/> from any node's JSON-RPC, by batch requests.</summary>
    public static async Task<string[]> BlockHashesAsync(RpcClient client, ulong last)
    {
        var hashes = new string[last + 1];
        for (ulong first = 0; first <= last; first += 100)
        {
            ulong end = Math.Min(last, first + 99);
            var calls = new List<string>();
            for (ulong h = first; h <= end; h++)
            {
                calls.Add($"{{\"jsonrpc\":\"2.0\",\"id\":{h},\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x{h:x}\",false]}}");
            }

            JsonElement batch = await client.BatchAsync("[" + string.Join(",", calls) + "]");
            foreach (JsonElement answer in batch.EnumerateArray())
            {
                ulong id = answer.GetProperty("id").GetUInt64();
                hashes[id] = answer.GetProperty("result").GetProperty("hash").GetString()!;
            }
        }

        return hashes;
    }

    /// <summary>An SDK wallet over development account <paramref name="account"/> of accounts.json, in <paramref name="suite"/> (standard when null).</summary>
    public async Task<Trellis.Sdk.Wallet> DevelopmentWalletAsync(int account, ICryptoSuite? suite = null)
    {
        using JsonDocument accounts = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, "accounts.json")));
        return Trellis.Sdk.Wallet.FromHex(suite ?? CryptoSuites.Standard, accounts.RootElement[account].GetProperty("privateKey").GetString()!);
    }

    /// <summary>
    /// Sends transfers from the development accounts round-robin to the listed live nodes until cancelled (one every
    /// <paramref name="interval"/>); a send that fails (the node is stopping) is skipped. Returns the number accepted.
    /// Each transfer takes its nonce from the node's committed state, so a transaction lost with a stopped node leaves
    /// no gap that would hold back the account's later ones.
    /// </summary>
    public async Task<int> SendLoadAsync(Func<int[]> liveNodes, TimeSpan interval, CancellationToken cancellationToken)
    {
        using JsonDocument accounts = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, "accounts.json"), cancellationToken));
        PrivateKey[] keys = [.. accounts.RootElement.EnumerateArray().Select(a => CryptoSuites.Standard.ImportPrivateKey(Hex.Decode(a.GetProperty("privateKey").GetString()!)))];
        Address[] addresses = [.. keys.Select(k => CryptoSuites.Standard.ToAddress(CryptoSuites.Standard.DerivePublicKey(k)))];
        int sent = 0;
        int turn = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            int account = turn % keys.Length;
            int[] live = liveNodes();
            int node = live[turn % live.Length];
            turn++;
            try
            {
                ulong nonce = await Clients[node].QuantityAsync("eth_getTransactionCount", $"[\"{addresses[account]}\", \"latest\"]", cancellationToken);
                await Clients[node].CallAsync("eth_sendRawTransaction", $"[\"{Transfer(keys[account], nonce)}\"]", cancellationToken);
                sent++;
            }
            catch (Exception e) when (e is HttpRequestException or RpcErrorException or OperationCanceledException)
            {
                // Stopped by the test, or the node is stopping, or it still holds this account's previous transfer (the
                // next round tries again).
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return sent;
    }

    private string Transfer(PrivateKey key, ulong nonce) =>
        Hex.Encode(new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            GasLimit = 21_000,
            To = Address.Parse("0x000000000000000000000000000000000000dead"),
            Value = UInt256.One,
        }.Sign(CryptoSuites.Standard, key).Encode());

    public void Dispose()
    {
        foreach (RpcClient client in Clients)
        {
            client.Dispose();
        }

        TrellisProcess.RunAsync(CommandTimeout, "down", "--dir", Directory).GetAwaiter().GetResult();
        foreach (TrellisProcess process in _restarted.Values)
        {
            process.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp directory is cleaned eventually.
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of every node's log, for a failure's message.</summary>
    public string LogTails(int lines)
    {
        var tails = new System.Text.StringBuilder();
        foreach (string name in Names)
        {
            string log = Path.Combine(Directory, "nodes", name, "node.log");
            if (File.Exists(log))
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                Append(name + " node.log", reader.ReadToEnd());
            }

            if (_restarted.TryGetValue(name, out TrellisProcess? process))
            {
                Append(name + " after its restart", process.Output + process.Error);
            }
        }

        void Append(string title, string text)
        {
            tails.Append("--- ").Append(title).Append(" (last ").Append(lines).Append(" lines)\n");
            foreach (string line in text.Split('\n').TakeLast(lines))
            {
                tails.Append(line).Append('\n');
            }
        }

        return tails.ToString();
    }

    private string PidFile(int index) => Path.Combine(Directory, "nodes", Names[index], "node.pid");

    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // A base port whose JSON-RPC and peer ranges are free right now.
    private static int FreeBasePort(int nodes)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            // Below Linux's ephemeral range (32768 and up), so an outgoing connection cannot take the port between this
            // check and the node binding it.
            int port = Random.Shared.Next(10_000, 31_000);
            bool free = true;
            for (int i = 0; i < nodes && free; i++)
            {
                free = IsFree(port + i) && IsFree(port + 1000 + i);
            }

            if (free)
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free base port");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
