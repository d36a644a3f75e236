using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Trellis.E2e.Tests;

/// <summary>Waits for a JSON-RPC endpoint to answer eth_blockNumber, and finds free loopback ports.</summary>
internal static class RpcProbe
{
    /// <summary>
    /// Polls <paramref name="url"/> with eth_blockNumber until it returns a result, the process exits, or the
    /// timeout passes. Throws with the process output if it never answers.
    /// </summary>
    public static async Task WaitForBlockNumberAsync(string url, ChildProcess process, string what, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var lastError = "no attempt made";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{what} exited with code {process.ExitCode} before answering eth_blockNumber at {url}:\n{process.Output}");
            }

            try
            {
                using var content = new StringContent(
                    """{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri(url), content);
                var body = await response.Content.ReadAsStringAsync();
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.String)
                {
                    return;
                }

                lastError = $"HTTP {(int)response.StatusCode}: {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                lastError = e.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException(
            $"{what} did not answer eth_blockNumber at {url} within {timeout.TotalSeconds} s (last: {lastError}):\n{process.Output}");
    }

    /// <summary>A loopback TCP port that was free a moment ago (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
