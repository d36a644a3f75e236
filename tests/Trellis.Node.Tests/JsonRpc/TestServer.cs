using System.Text.Json;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Tests.JsonRpc;

/// <summary>A Kestrel host on 127.0.0.1 port 0 serving a few test methods, with a client for it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(JsonRpcHost host, JsonRpcServer server)
    {
        Host = host;
        Server = server;
        Client = new TestRpcClient(host.Address);
    }

    public JsonRpcHost Host { get; }

    public JsonRpcServer Server { get; }

    public TestRpcClient Client { get; }

    /// <summary>Calls of test_record, in arrival order (shows that notifications ran).</summary>
    public static List<string> Recorded { get; } = [];

    public static async Task<TestServer> StartAsync(JsonRpcOptions? options = null, Action<JsonRpcMethodRegistry>? register = null)
    {
        var registry = new JsonRpcMethodRegistry();
        registry.Add("test_echo", (_, p, w) => p[0].WriteTo(w));
        registry.Add("test_quantity", (_, p, w) => { p.RequireCount(1, 1); w.WriteStringValue(p.GetUInt256(0).ToString()); });
        registry.Add("test_address", (_, p, w) => { p.RequireCount(1, 1); w.WriteStringValue(p.GetAddress(0).ToLowerHex()); });
        registry.Add("test_crash", (_, _, _) => throw new InvalidOperationException("secret detail at /home/node/keys"));
        registry.Add("test_revert", (_, _, _) => throw new JsonRpcException(JsonRpcErrorCodes.ExecutionReverted, "execution reverted", "0xdeadbeef"));
        registry.Add("test_nothing", (_, _, _) => { });
        registry.Add("test_record", (_, p, w) =>
        {
            lock (Recorded)
            {
                Recorded.Add(p.GetString(0));
            }

            w.WriteStringValue(p.GetString(0));
        });
        registry.Add("test_slow", async (context, p, w) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(p.GetUInt64(0)), context.CancellationToken);
            w.WriteStringValue("done");
        });
        register?.Invoke(registry);
        var server = new JsonRpcServer(registry, options);
        JsonRpcHost host = await JsonRpcHost.StartAsync(server, "http://127.0.0.1:0");
        return new TestServer(host, server);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }

    public static int Code(JsonElement response) => response.GetProperty("error").GetProperty("code").GetInt32();

    public static string Message(JsonElement response) => response.GetProperty("error").GetProperty("message").GetString()!;
}
