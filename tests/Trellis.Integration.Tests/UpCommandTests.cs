using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Integration.Tests;

/// <summary><c>trellis up --consensus solo</c> and <c>trellis node run</c> as a user runs them.</summary>
public sealed class UpCommandTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-up-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Up_CreatesAChainThatTakesATransferStopsOnCtrlCOrSigtermAndResumes()
    {
        int port = IntegrationNetwork.FreePort();
        string hash;
        using (TrellisProcess up = TrellisProcess.Start("up", "--consensus", "solo", "--dir", _directory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Uri address = await up.WaitUntilServingAsync(StartTimeout);
            Assert.Equal($"http://127.0.0.1:{port}/", address.ToString());
            Assert.Contains("chain id  1337", up.Output, StringComparison.Ordinal);
            Assert.Contains("created a solo network", up.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_directory, "ACCOUNTS-ARE-DEVELOPMENT-ONLY.txt")));

            using var client = new RpcClient(address);
            Assert.Equal(0UL, await client.QuantityAsync("eth_blockNumber"));
            Assert.Equal(1337UL, await client.QuantityAsync("eth_chainId"));

            // A development account from accounts.json pays, as a wallet would with an imported key.
            using JsonDocument accounts = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "accounts.json")));
            JsonElement first = accounts.RootElement[0];
            PrivateKey key = CryptoSuites.Standard.ImportPrivateKey(Hex.Decode(first.GetProperty("privateKey").GetString()!));
            string raw = Hex.Encode(new TransactionBuilder
            {
                Type = TxType.DynamicFee,
                ChainId = 1337,
                GasLimit = 21_000,
                To = Address.Parse(accounts.RootElement[1].GetProperty("address").GetString()!),
                Value = UInt256.One,
            }.Sign(CryptoSuites.Standard, key).Encode());
            Assert.Equal("0xd3c21bcecceda1000000", (await client.CallAsync("eth_getBalance", $"[\"{first.GetProperty("address").GetString()}\", \"latest\"]")).GetString());
            hash = (await client.CallAsync("eth_sendRawTransaction", $"[\"{raw}\"]")).GetString()!;
            await WaitForReceiptAsync(client, hash);

            up.Interrupt();
            await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, up.ExitCode);
            Assert.Contains("stopping", up.Output, StringComparison.Ordinal);
        }

        using (TrellisProcess again = TrellisProcess.Start("up", "--dir", _directory))
        {
            using var client = new RpcClient(await again.WaitUntilServingAsync(StartTimeout));
            Assert.Contains("resuming a solo network", again.Output, StringComparison.Ordinal);
            Assert.Equal(1UL, await client.QuantityAsync("eth_blockNumber"));
            Assert.Equal(JsonValueKind.Object, (await client.CallAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).ValueKind);
            again.Terminate();
            await again.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("stopping", again.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Up_NamesAPortInUseInOneLine()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (code, _, error) = await TrellisProcess.RunAsync(StartTimeout, "up", "--consensus", "solo", "--dir", _directory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.Ordinal));
        Assert.StartsWith("error: port " + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + " on 127.0.0.1 (JSON-RPC of org1-node1) is in use", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeRun_NamesAMissingConfigFileInOneLine()
    {
        string missing = Path.Combine(_directory, "nope", "node.json");

        var (code, output, error) = await TrellisProcess.RunAsync(StartTimeout, "node", "run", "--config", missing);

        Assert.Equal(1, code);
        Assert.Equal($"error: node configuration file '{missing}' does not exist", error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public async Task NodeRun_NamesTheBadFieldOfABrokenConfig()
    {
        Directory.CreateDirectory(_directory);
        string config = Path.Combine(_directory, "node.json");
        await File.WriteAllTextAsync(config, """{ "dataDir": "d", "genesisFile": "g.json", "rpc": { "port": -1 } }""");

        var (code, _, error) = await TrellisProcess.RunAsync(StartTimeout, "node", "run", "--config", config);

        Assert.Equal(1, code);
        Assert.StartsWith("error: rpc.port: must be from 0 to 65535, got -1", error.Trim(), StringComparison.Ordinal);
    }

    private static async Task WaitForReceiptAsync(RpcClient client, string hash)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.CallAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).ValueKind != JsonValueKind.Object)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no receipt for {hash}");
            await Task.Delay(50);
        }
    }
}
