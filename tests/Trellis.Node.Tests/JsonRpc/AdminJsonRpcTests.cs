using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Trellis.Core;
using Trellis.Node.JsonRpc;
using Trellis.Node.Rpc;
using Trellis.Node.Tests.P2p;

namespace Trellis.Node.Tests.JsonRpc;

/// <summary>Admin methods over real HTTP and WebSocket on loopback, with a stand-in node.</summary>
public sealed class AdminJsonRpcTests
{
    private const string KeyHex = "5c1e0d9b7a3f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d";

    private static readonly string[] AdminCalls =
    [
        "admin_nodeInfo", "admin_peers", "admin_addPeer", "admin_removePeer", "admin_setLogLevel", "admin_noSuchMethod",
    ];

    private static readonly Dictionary<string, string> Params = new(StringComparer.Ordinal)
    {
        ["admin_nodeInfo"] = "[]",
        ["admin_peers"] = "[]",
        ["admin_addPeer"] = "[\"127.0.0.1:9\"]",
        ["admin_removePeer"] = "[\"0x00000000000000000000000000000000000000aa\"]",
        ["admin_setLogLevel"] = "[\"debug\"]",
        ["admin_noSuchMethod"] = "[]",
    };

    [Fact]
    public async Task Disabled_RefusesEveryAdminMethodEvenWithAKey_AndChangesNothing()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Disabled);
        foreach (string method in AdminCalls)
        {
            var (status, response) = await host.PostAsync(Call(method), KeyHex);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(JsonRpcErrorCodes.MethodNotFound, TestServer.Code(response));
            Assert.Contains("admin method disabled", TestServer.Message(response), StringComparison.Ordinal);
        }

        Assert.Empty(host.Operations.Calls);

        // Public methods are unaffected.
        var (publicStatus, echo) = await host.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[5]}""", null);
        Assert.Equal(HttpStatusCode.OK, publicStatus);
        Assert.Equal(5, echo.GetProperty("result").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer 0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("Bearer 5c1e0d9b7a3f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1e")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Bearer not-a-key")]
    [InlineData("5c1e0d9b7a3f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d")]
    public async Task Enabled_WithoutTheRightKey_GetsHttp401AndUnauthorized_AndIsLogged(string? authorization)
    {
        var logs = new CapturingLoggerFactory();
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false), logs);
        foreach (string method in AdminCalls)
        {
            var (status, response) = await host.PostRawAuthorizationAsync(Call(method), authorization);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(JsonRpcErrorCodes.Unauthorized, TestServer.Code(response));
            string message = TestServer.Message(response);
            Assert.StartsWith("unauthorized", message, StringComparison.Ordinal);
            Assert.DoesNotContain(KeyHex[..8], message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(host.Operations.Calls);
        Assert.Contains(logs.Messages, m => m.Contains("refused admin call admin_removePeer from 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(KeyHex[..8], StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Refused401_CarriesAWwwAuthenticateBearerChallenge()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Address) { Content = new StringContent(Call("admin_peers"), Encoding.UTF8, "application/json") };
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Enabled_WithTheKey_RunsEachAdminMethod()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));

        JsonElement info = (await host.PostAsync(Call("admin_nodeInfo"), KeyHex)).Response.GetProperty("result");
        Assert.Equal("org1-node1", info.GetProperty("name").GetString());
        Assert.Equal("trellis://0x00000000000000000000000000000000000000a1@127.0.0.1:9545", info.GetProperty("enode").GetString());
        Assert.Equal("0x539", info.GetProperty("chainId").GetString());

        JsonElement peers = (await host.PostAsync(Call("admin_peers"), KeyHex)).Response.GetProperty("result");
        Assert.Equal("org2-node1", Assert.Single(peers.EnumerateArray()).GetProperty("name").GetString());

        JsonElement added = (await host.PostAsync(Call("admin_addPeer", "[\"trellis://0x00000000000000000000000000000000000000b2@127.0.0.1:9546\"]"), KeyHex)).Response.GetProperty("result");
        Assert.Equal("0x00000000000000000000000000000000000000b2", added.GetProperty("signingAddress").GetString());
        Assert.Equal("127.0.0.1:9546|0x00000000000000000000000000000000000000b2", host.Operations.Calls[^1]);

        Assert.True((await host.PostAsync(Call("admin_removePeer", "[\"0x00000000000000000000000000000000000000b2\"]"), KeyHex)).Response.GetProperty("result").GetBoolean());

        JsonElement level = (await host.PostAsync(Call("admin_setLogLevel", "[\"Debug\"]"), KeyHex)).Response.GetProperty("result");
        Assert.Equal("information", level.GetProperty("previous").GetString());
        Assert.Equal("debug", level.GetProperty("current").GetString());
        Assert.Equal(LogLevel.Debug, host.Operations.Level);

        // With access, an unknown admin method is simply not found.
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, TestServer.Code((await host.PostAsync(Call("admin_noSuchMethod"), KeyHex)).Response));
    }

    [Theory]
    [InlineData("admin_addPeer", "[\"nohost\"]", "must be host:port")]
    [InlineData("admin_addPeer", "[\"trellis://0x12@127.0.0.1:1\"]", "is not a signing address")]
    [InlineData("admin_addPeer", "[\"trellis://127.0.0.1:1\"]", "@host:port")]
    [InlineData("admin_addPeer", "[]", "expected 1 parameters, got 0")]
    [InlineData("admin_removePeer", "[\"0x1234\"]", "params[0]")]
    [InlineData("admin_setLogLevel", "[\"verbose\"]", "is not one of trace, debug")]
    [InlineData("admin_nodeInfo", "[1]", "expected 0 parameters, got 1")]
    public async Task Enabled_WithTheKey_BadParametersAreInvalidParams(string method, string parameters, string reason)
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));
        JsonElement response = (await host.PostAsync(Call(method, parameters), KeyHex)).Response;
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, TestServer.Code(response));
        Assert.Contains(reason, TestServer.Message(response), StringComparison.Ordinal);
        Assert.Empty(host.Operations.Calls);
    }

    [Fact]
    public async Task FailedOperation_IsAnErrorWithTheNodesReason()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));
        JsonElement response = (await host.PostAsync(Call("admin_addPeer", "[\"127.0.0.1:1\"]"), KeyHex)).Response;
        Assert.Equal(JsonRpcErrorCodes.InvalidInput, TestServer.Code(response));
        Assert.Contains("cannot connect to peer 127.0.0.1:1", TestServer.Message(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_AuthorisesEachElementOnItsOwn()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));
        const string Batch = """
            [{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]},
             {"jsonrpc":"2.0","id":2,"method":"admin_removePeer","params":["0x00000000000000000000000000000000000000b2"]},
             {"jsonrpc":"2.0","id":3,"method":"test_echo","params":[3]}]
            """;

        var (status, without) = await host.PostRawAuthorizationAsync(Batch, null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, without[0].GetProperty("result").GetInt32());
        Assert.Equal(JsonRpcErrorCodes.Unauthorized, TestServer.Code(without[1]));
        Assert.Equal(3, without[2].GetProperty("result").GetInt32());
        Assert.Empty(host.Operations.Calls);

        var (_, with) = await host.PostAsync(Batch, KeyHex);
        Assert.True(with[1].GetProperty("result").GetBoolean());
        Assert.Single(host.Operations.Calls);
    }

    [Fact]
    public async Task AdminNotification_WithoutTheKey_RunsNothing()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));
        var (status, _) = await host.PostRawAuthorizationAsync("""{"jsonrpc":"2.0","method":"admin_setLogLevel","params":["trace"]}""", null, expectBody: false);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Empty(host.Operations.Calls);
    }

    [Fact]
    public async Task WebSocket_TakesTheKeyFromTheUpgradeRequest()
    {
        await using var host = await AdminHost.StartAsync(AdminAccess.Enable(Convert.FromHexString(KeyHex), false));
        Uri ws = new UriBuilder(host.Address) { Scheme = "ws" }.Uri;

        using (var anonymous = new ClientWebSocket())
        {
            await anonymous.ConnectAsync(ws, CancellationToken.None);
            JsonElement refused = await anonymous.CallAsync("admin_peers", "[]");
            Assert.Equal(JsonRpcErrorCodes.Unauthorized, TestServer.Code(refused));
            JsonElement echo = await anonymous.CallAsync("test_echo", "[7]", 2);
            Assert.Equal(7, echo.GetProperty("result").GetInt32());
        }

        using (var wrong = new ClientWebSocket())
        {
            wrong.Options.SetRequestHeader("Authorization", "Bearer " + new string('e', 64));
            await wrong.ConnectAsync(ws, CancellationToken.None);
            Assert.Equal(JsonRpcErrorCodes.Unauthorized, TestServer.Code(await wrong.CallAsync("admin_removePeer", "[\"0x00000000000000000000000000000000000000b2\"]")));
        }

        Assert.Empty(host.Operations.Calls);
        using var authorised = new ClientWebSocket();
        authorised.Options.SetRequestHeader("Authorization", "Bearer " + KeyHex);
        await authorised.ConnectAsync(ws, CancellationToken.None);
        JsonElement peers = await authorised.CallAsync("admin_peers", "[]");
        Assert.Single(peers.GetProperty("result").EnumerateArray());
    }

    private static string Call(string method, string? parameters = null) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters ?? Params[method]}}}";

    /// <summary>A JSON-RPC host with a test method, the admin methods over <see cref="FakeAdminOperations"/>, and an access policy.</summary>
    private sealed class AdminHost : IAsyncDisposable
    {
        private AdminHost(JsonRpcHost host, FakeAdminOperations operations)
        {
            Host = host;
            Operations = operations;
            Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        }

        public JsonRpcHost Host { get; }

        public Uri Address => Host.Address;

        public FakeAdminOperations Operations { get; }

        public HttpClient Http { get; }

        public static async Task<AdminHost> StartAsync(AdminAccess access, ILoggerFactory? logs = null)
        {
            var registry = new JsonRpcMethodRegistry();
            registry.Add("test_echo", (_, p, w) => p[0].WriteTo(w));
            var operations = new FakeAdminOperations();
            new AdminRpcService(operations).Register(registry);
            var server = new JsonRpcServer(registry, null, logs?.CreateLogger<JsonRpcServer>()) { Admin = access };
            return new AdminHost(await JsonRpcHost.StartAsync(server, "http://127.0.0.1:0"), operations);
        }

        public Task<(HttpStatusCode Status, JsonElement Response)> PostAsync(string body, string? key) =>
            PostRawAuthorizationAsync(body, key is null ? null : "Bearer " + key);

        public async Task<(HttpStatusCode Status, JsonElement Response)> PostRawAuthorizationAsync(string body, string? authorization, bool expectBody = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (authorization is not null)
            {
                Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
            }

            using HttpResponseMessage response = await Http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            if (!expectBody)
            {
                Assert.Equal(string.Empty, text);
                return (response.StatusCode, default);
            }

            return (response.StatusCode, JsonDocument.Parse(text).RootElement);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Host.DisposeAsync();
        }
    }

    /// <summary>Records what the admin methods asked of the node.</summary>
    private sealed class FakeAdminOperations : IAdminOperations
    {
        private static readonly Address Self = Address.Parse("0x00000000000000000000000000000000000000a1");

        public List<string> Calls { get; } = [];

        public LogLevel Level { get; private set; } = LogLevel.Information;

        public AdminNodeInfo GetNodeInfo() => new("org1-node1", "org1", "validator", Self, "127.0.0.1:9545", AdminPeerTarget.Format(Self, "127.0.0.1:9545"), null, 1337, "hotstuff", "test");

        public IReadOnlyList<AdminPeerInfo> GetPeers() =>
            [new AdminPeerInfo("org2-node1", "org2", "validator", Address.Parse("0x00000000000000000000000000000000000000b2"), "127.0.0.1:40000", "inbound", default)];

        public Task<AdminPeerInfo> AddPeerAsync(AdminPeerTarget target, CancellationToken cancellationToken)
        {
            if (target.Text == "127.0.0.1:1")
            {
                throw new InvalidOperationException("cannot connect to peer 127.0.0.1:1: connection refused");
            }

            Record($"{target.Text}|{target.Address?.ToLowerHex()}");
            return Task.FromResult(GetPeers()[0]);
        }

        public bool RemovePeer(Address signingAddress)
        {
            Record("remove " + signingAddress.ToLowerHex());
            return true;
        }

        public LogLevel SetLogLevel(LogLevel level)
        {
            Record("level " + level);
            LogLevel previous = Level;
            Level = level;
            return previous;
        }

        private void Record(string call)
        {
            lock (Calls)
            {
                Calls.Add(call);
            }
        }
    }
}
