using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Trellis.Node.JsonRpc;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>The admin methods of real nodes on a loopback peer network.</summary>
public sealed class AdminPeerTests
{
    [Fact]
    public async Task AdminPeers_ListsTheOtherNode_AndRemovePeerDisconnectsItAndKeepsItOut_UntilAddPeerNamesIt()
    {
        await using var cluster = new P2pCluster(nodes: 2);
        string keyFile = Path.Combine(cluster.Directory, "admin.key");
        string key = AdminApiKey.CreateFile(keyFile);
        await using TrellisNode a = await TrellisNode.StartAsync(WithAdmin(cluster.ConfigFor(0, []), keyFile), P2pCluster.StartOptions());
        await using TrellisNode b = await TrellisNode.StartAsync(cluster.ConfigFor(1, [a.P2pEndpoint!]), P2pCluster.StartOptions());
        await PeerNetworkTests.WaitForPeersAsync(a, 1);
        using var admin = new AdminClient(a.RpcAddress, key);
        P2pCluster.ClusterNode other = cluster.Nodes[1];

        JsonElement info = await admin.ResultAsync("admin_nodeInfo");
        Assert.Equal("node0", info.GetProperty("name").GetString());
        Assert.Equal(cluster.Nodes[0].Address.ToLowerHex(), info.GetProperty("signingAddress").GetString());
        Assert.Equal($"trellis://{cluster.Nodes[0].Address.ToLowerHex()}@127.0.0.1:{a.P2pEndpoint!.Port}", info.GetProperty("enode").GetString());
        Assert.Equal("0x1092", info.GetProperty("chainId").GetString());
        Assert.Equal(cluster.Nodes[0].Certificate.Fingerprint.ToString(), info.GetProperty("tlsFingerprint").GetString());

        JsonElement peer = Assert.Single((await admin.ResultAsync("admin_peers")).EnumerateArray());
        Assert.Equal("node1", peer.GetProperty("name").GetString());
        Assert.Equal(other.Org, peer.GetProperty("organisation").GetString());
        Assert.Equal("validator", peer.GetProperty("role").GetString());
        Assert.Equal(other.Address.ToLowerHex(), peer.GetProperty("signingAddress").GetString());
        Assert.Equal("inbound", peer.GetProperty("direction").GetString());
        Assert.StartsWith("127.0.0.1:", peer.GetProperty("remoteEndpoint").GetString(), StringComparison.Ordinal);

        // Removing disconnects b, and b's own redialling is refused: it stays out.
        Assert.True((await admin.ResultAsync("admin_removePeer", $"[\"{other.Address.ToLowerHex()}\"]")).GetBoolean());
        await Eventually.MatchAsync(() => Task.FromResult(a.Network!.PeerCount), n => n == 0, "b disconnected from a");
        // b keeps redialling; a refuses it at the handshake, so it is never connected again: a second admin_removePeer
        // finds no connection to close.
        for (int i = 0; i < 3; i++)
        {
            await Task.Delay(500);
            Assert.Equal(0, a.Network!.PeerCount);
        }

        Assert.False((await admin.ResultAsync("admin_removePeer", $"[\"{other.Address.ToLowerHex()}\"]")).GetBoolean());
        Assert.Equal(0, (await admin.ResultAsync("admin_peers")).GetArrayLength());

        // A plain host:port dial to a removed node is refused with the way to allow it again.
        string hostPort = $"127.0.0.1:{b.P2pEndpoint!.Port}";
        JsonElement refused = await admin.ErrorAsync("admin_addPeer", $"[\"{hostPort}\"]");
        Assert.Contains("was removed with admin_removePeer", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Naming another address does not let it in: the node at that endpoint is still the removed one.
        JsonElement wrong = await admin.ErrorAsync("admin_addPeer", $"[\"trellis://{cluster.Nodes[0].Address.ToLowerHex()}@{hostPort}\"]");
        Assert.Contains($"node {other.Address.ToLowerHex()} was removed with admin_removePeer", wrong.GetProperty("message").GetString(), StringComparison.Ordinal);

        JsonElement added = await admin.ResultAsync("admin_addPeer", $"[\"trellis://{other.Address.ToLowerHex()}@{hostPort}\"]");
        Assert.Equal("node1", added.GetProperty("name").GetString());
        await PeerNetworkTests.WaitForPeersAsync(a, 1);

        // Naming the wrong address for a connected node is refused, and the node it is stays connected.
        JsonElement mismatch = await admin.ErrorAsync("admin_addPeer", $"[\"trellis://{cluster.Nodes[0].Address.ToLowerHex()}@{hostPort}\"]");
        Assert.Contains($"signing address {other.Address.ToLowerHex()}, not {cluster.Nodes[0].Address.ToLowerHex()} as named", mismatch.GetProperty("message").GetString(), StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Equal(1, a.Network!.PeerCount);

        // Nothing listens on port 1.
        JsonElement unreachable = await admin.ErrorAsync("admin_addPeer", "[\"127.0.0.1:1\"]");
        Assert.Contains("cannot connect to peer 127.0.0.1:1", unreachable.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeWithoutAnAdminSection_RefusesEveryAdminMethod_AndOneWithIt_RefusesCallsWithoutTheKey()
    {
        await using var cluster = new P2pCluster(nodes: 2);
        string keyFile = Path.Combine(cluster.Directory, "admin.key");
        string key = AdminApiKey.CreateFile(keyFile);
        await using TrellisNode a = await TrellisNode.StartAsync(WithAdmin(cluster.ConfigFor(0, []), keyFile), P2pCluster.StartOptions());
        await using TrellisNode b = await TrellisNode.StartAsync(cluster.ConfigFor(1, [a.P2pEndpoint!]), P2pCluster.StartOptions());
        await PeerNetworkTests.WaitForPeersAsync(a, 1);

        using (var withKey = new AdminClient(b.RpcAddress, key))
        {
            foreach (string method in AdminRpcMethods)
            {
                JsonElement error = await withKey.ErrorAsync(method, method == "admin_removePeer" ? $"[\"{cluster.Nodes[0].Address.ToLowerHex()}\"]" : "[]");
                Assert.Equal(JsonRpcErrorCodes.MethodNotFound, error.GetProperty("code").GetInt32());
                Assert.Contains("admin method disabled", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }

        using (var withoutKey = new AdminClient(a.RpcAddress, null))
        {
            JsonElement error = await withoutKey.ErrorAsync("admin_removePeer", $"[\"{cluster.Nodes[1].Address.ToLowerHex()}\"]");
            Assert.Equal(JsonRpcErrorCodes.Unauthorized, error.GetProperty("code").GetInt32());
        }

        Assert.Equal(1, a.Network!.PeerCount);
        Assert.Equal(1, b.Network!.PeerCount);
    }

    [Fact]
    public async Task SetLogLevel_ChangesWhatTheNodeLogs()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        string keyFile = Path.Combine(cluster.Directory, "admin.key");
        string key = AdminApiKey.CreateFile(keyFile);
        var logs = new CapturingLoggerFactory();
        await using TrellisNode a = await TrellisNode.StartAsync(WithAdmin(cluster.ConfigFor(0, []), keyFile), P2pCluster.StartOptions(), logs);
        using var admin = new AdminClient(a.RpcAddress, key);
        using var anonymous = new AdminClient(a.RpcAddress, null);

        // At "information" a refused admin call is logged (at warning) ...
        await anonymous.ErrorAsync("admin_peers");
        Assert.Contains(logs.Messages, m => m.Contains("refused admin call admin_peers from 127.0.0.1", StringComparison.Ordinal));

        // ... at "error" it is not.
        JsonElement changed = await admin.ResultAsync("admin_setLogLevel", "[\"error\"]");
        Assert.Equal("information", changed.GetProperty("previous").GetString());
        logs.Messages.Clear();
        await anonymous.ErrorAsync("admin_nodeInfo");
        Assert.DoesNotContain(logs.Messages, m => m.Contains("refused admin call admin_nodeInfo", StringComparison.Ordinal));
    }

    private static readonly string[] AdminRpcMethods = ["admin_nodeInfo", "admin_peers", "admin_addPeer", "admin_removePeer", "admin_setLogLevel"];

    private static NodeConfig WithAdmin(NodeConfig config, string keyFile) => new()
    {
        DataDir = config.DataDir,
        GenesisFile = config.GenesisFile,
        NodeName = config.NodeName,
        RpcPort = config.RpcPort,
        SigningKeyFile = config.SigningKeyFile,
        P2p = config.P2p,
        Admin = new AdminConfig { Enabled = true, ApiKeyFile = keyFile },
    };

    /// <summary>JSON-RPC over HTTP with an optional bearer key.</summary>
    private sealed class AdminClient(Uri address, string? key) : IDisposable
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

        public async Task<JsonElement> CallAsync(string method, string parameters)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, address)
            {
                Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}", Encoding.UTF8, "application/json"),
            };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using HttpResponseMessage response = await _http.SendAsync(request);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }

        public async Task<JsonElement> ResultAsync(string method, string parameters = "[]")
        {
            JsonElement response = await CallAsync(method, parameters);
            Assert.False(response.TryGetProperty("error", out JsonElement error), $"{method} failed: {error}");
            return response.GetProperty("result");
        }

        public async Task<JsonElement> ErrorAsync(string method, string parameters = "[]")
        {
            JsonElement response = await CallAsync(method, parameters);
            Assert.True(response.TryGetProperty("error", out JsonElement error), $"{method} succeeded: {response}");
            return error;
        }

        public void Dispose() => _http.Dispose();
    }
}
