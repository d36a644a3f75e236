using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class NodeStatusClientTests
{
    private static NetworkNode Node(Uri rpc) => new("org1-node1", "org1", "validator", rpc, "127.0.0.1:1", "nodes/org1-node1");

    [Fact]
    public async Task Query_ReadsTheFieldsOfTrellisStatus()
    {
        using var server = new FakeRpcServer(_ => FakeRpcServer.Result(
            """{"node":"org1-node1","height":"0x1a","role":"leader","peers":3,"consensus":"hotstuff","chainId":"0x539","syncing":false}"""));
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(5));

        NodeStatus status = await client.QueryAsync(Node(server.Url), CancellationToken.None);

        Assert.Equal(new NodeStatus("org1-node1", server.Url.GetLeftPart(UriPartial.Authority), true, 26, "leader", 3, false, null), status);
        Assert.True(status.Healthy);
        Assert.Equal(["trellis_status"], server.Methods);
    }

    [Fact]
    public async Task Query_FallsBackToEthBlockNumberWhenTrellisStatusIsMissing()
    {
        using var server = new FakeRpcServer(body => FakeRpcServer.MethodOf(body) == "eth_blockNumber" ? FakeRpcServer.Result("\"0x10\"") : FakeRpcServer.MethodNotFound);
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(5));

        NodeStatus status = await client.QueryAsync(Node(server.Url), CancellationToken.None);

        Assert.True(status.Healthy);
        Assert.Equal(16UL, status.Height);
        Assert.Null(status.Role);
        Assert.Equal(["trellis_status", "eth_blockNumber"], server.Methods);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"height\":\"0xZZ\",\"role\":7}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"height\":\"0x111111111111111111111\"}}")]
    public async Task Query_IsUnhealthyButNeverThrowsForNonsense(string answer)
    {
        using var server = new FakeRpcServer(_ => answer);
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(5));

        NodeStatus status = await client.QueryAsync(Node(server.Url), CancellationToken.None);

        Assert.False(status.Healthy);
        Assert.Null(status.Height);
    }

    [Fact]
    public async Task Query_StripsControlCharactersFromTheRoleSoANodeCannotPaintTheTerminal()
    {
        using var server = new FakeRpcServer(_ => FakeRpcServer.Result("""{"height":"0x1","role":"lead\u001b[2Jer"}"""));
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(5));

        NodeStatus status = await client.QueryAsync(Node(server.Url), CancellationToken.None);

        Assert.Equal("lead[2Jer", status.Role);
    }

    [Fact]
    public async Task Query_ReportsANodeThatIsNotListeningAsDown()
    {
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(5));

        NodeStatus status = await client.QueryAsync(Node(new Uri($"http://127.0.0.1:{PortProbeTests.FreePort()}")), CancellationToken.None);

        Assert.False(status.Answered);
        Assert.False(status.Healthy);
        Assert.Equal("connection refused", status.Error);
    }

    [Fact]
    public async Task CountTransactions_SumsTheBlockCountsOfOneBatchRequest()
    {
        using var server = new FakeRpcServer(body =>
        {
            Assert.Equal("batch", FakeRpcServer.MethodOf(body));
            Assert.Contains("\"0x5\"", body, StringComparison.Ordinal);
            Assert.Contains("\"0x7\"", body, StringComparison.Ordinal);
            return """[{"jsonrpc":"2.0","id":5,"result":"0x3"},{"jsonrpc":"2.0","id":6,"result":"0x0"},{"jsonrpc":"2.0","id":7,"result":"0x10"}]""";
        });
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(5));

        Assert.Equal(19, await client.CountTransactionsAsync(Node(server.Url), 5, 7, CancellationToken.None));
        Assert.Equal(0, await client.CountTransactionsAsync(Node(server.Url), 8, 7, CancellationToken.None));
    }

    [Theory]
    [InlineData("0x0", true, 0UL)]
    [InlineData("0x1a", true, 26UL)]
    [InlineData("0xffffffffffffffff", true, ulong.MaxValue)]
    [InlineData("0x10000000000000000", false, 0UL)]
    [InlineData("0x", false, 0UL)]
    [InlineData("26", false, 0UL)]
    [InlineData("0x-1", false, 0UL)]
    public void TryParseQuantity_ReadsHexQuantities(string text, bool ok, ulong value)
    {
        Assert.Equal(ok, NodeStatusClient.TryParseQuantity(text, out ulong parsed));
        Assert.Equal(value, parsed);
    }
}
