using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Sdk.Abi;
using Trellis.Sdk.Rpc;
using Trellis.Sdk.Tests.Abi;

namespace Trellis.Sdk.Tests;

/// <summary>
/// The SDK against a real Trellis node: `trellis up --consensus solo` in a temporary directory, in each crypto
/// suite, deploying and using the ERC-20 from bench/contracts (compiled by solc; runtime code checked against solc's).
/// </summary>
public class NodeIntegrationTests
{
    private static readonly Address Bob = Address.Parse("0x2222222222222222222222222222222222222222");

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public async Task Erc20_DeploysTransfersAndEmitsThroughARealSoloNode(string suiteName)
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        await using var node = await SoloNode.StartAsync(suiteName);
        using var client = new TrellisClient(node.Endpoint, new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(4243UL, await client.GetChainIdAsync());

        using var signer = new Signer(client, Wallet.FromHex(suite, node.FirstPrivateKey));
        string bench = Path.Combine(RepositoryRoot(), "bench", "contracts");
        byte[] creation = Hex.Decode(File.ReadAllText(Path.Combine(bench, "Erc20.creation.hex")).Trim());
        byte[] runtime = Hex.Decode(File.ReadAllText(Path.Combine(bench, "Erc20.runtime.hex")).Trim());

        Contract token = await Contract.DeployAsync(signer, ContractAbiTests.Erc20, creation, [1_000_000], TimeSpan.FromSeconds(30));
        Assert.Equal(runtime, await client.GetCodeAsync(token.Address));
        Assert.Equal("Trellis Bench Token", await token.CallAsync<string>("name"));
        Assert.Equal(18, await token.CallAsync<int>("decimals"));
        Assert.Equal(new UInt256(1_000_000), await token.CallAsync<UInt256>("balanceOf", signer.Address));

        var seen = new TaskCompletionSource<DecodedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using Subscription subscription = await token.SubscribeAsync("Transfer", (e, _) =>
        {
            seen.TrySetResult(e);
            return Task.CompletedTask;
        }, [null, Bob]);

        TransactionReceipt receipt = await token.SendAsync("transfer", Bob, 250);
        Assert.True(receipt.Succeeded);
        DecodedEvent transfer = Assert.Single(token.DecodeEvents(receipt));
        Assert.Equal(signer.Address, transfer["from"]);
        Assert.Equal(Bob, transfer["to"]);
        Assert.Equal(new UInt256(250), transfer["value"]);
        DecodedEvent pushed = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new UInt256(250), pushed["value"]);
        Assert.Equal(new UInt256(250), await token.CallAsync<UInt256>("balanceOf", Bob));
        Assert.Equal(new UInt256(999_750), await token.CallAsync<UInt256>("balanceOf", signer.Address));

        var revert = await Assert.ThrowsAsync<TrellisRpcException>(() => token.SendAsync("transfer", Bob, UInt256.MaxValue));
        Assert.Equal(RevertReasonKind.Error, revert.Revert!.Kind);
        Assert.Equal("ERC20: transfer amount exceeds balance", revert.Revert.Message);
        IReadOnlyList<DecodedEvent> history = await token.GetEventsAsync("Transfer");
        Assert.Equal(2, history.Count);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>A `trellis up --consensus solo` process on a free loopback port; killed and deleted on dispose.</summary>
    private sealed class SoloNode : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;
        private readonly StringBuilder _output = new();

        private SoloNode(Process process, string directory, Uri endpoint)
        {
            _process = process;
            _directory = directory;
            Endpoint = endpoint;
        }

        public Uri Endpoint { get; }

        public string FirstPrivateKey { get; private set; } = string.Empty;

        public static async Task<SoloNode> StartAsync(string suite)
        {
            string root = RepositoryRoot();
            string configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
            string cli = Path.Combine(root, "src", "Trellis.Cli", "bin", configuration, "net10.0", "trellis.dll");
            Assert.True(File.Exists(cli), $"the trellis CLI is not built at {cli}");
            string directory = Path.Combine(Path.GetTempPath(), "trellis-sdk-" + Guid.NewGuid().ToString("N"));
            int port = FreePort();
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { cli, "up", "--consensus", "solo", "--dir", directory, "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", "4243", "--suite", suite })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var node = new SoloNode(process, directory, new Uri($"http://127.0.0.1:{port}/"));
            process.OutputDataReceived += (_, e) => node.Append(e.Data);
            process.ErrorDataReceived += (_, e) => node.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await node.WaitReadyAsync(TimeSpan.FromSeconds(90));
                using JsonDocument accounts = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "accounts.json")));
                node.FirstPrivateKey = accounts.RootElement[0].GetProperty("privateKey").GetString()!;
                return node;
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the dying process: a temporary directory is left behind, nothing else.
            }
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        private async Task WaitReadyAsync(TimeSpan timeout)
        {
            using var client = new TrellisClient(Endpoint, new TrellisClientOptions { RequestTimeout = TimeSpan.FromSeconds(2) });
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"trellis up exited with {_process.ExitCode}:\n{_output}");
                }

                try
                {
                    await client.GetBlockNumberAsync();
                    if (File.Exists(Path.Combine(_directory, "accounts.json")))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or TrellisRpcException)
                {
                    // Not listening yet.
                }

                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"trellis up did not answer on {Endpoint} within {timeout.TotalSeconds} s:\n{_output}");
                }

                await Task.Delay(200);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
