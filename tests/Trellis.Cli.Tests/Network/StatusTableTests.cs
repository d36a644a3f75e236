using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class StatusTableTests
{
    [Fact]
    public void Render_AlignsColumnsAndRightAlignsNumbers()
    {
        NodeStatus[] statuses =
        [
            new("org1-node1", "http://127.0.0.1:8545", true, 1234, "leader", 3, false, null),
            new("org2-node1", "http://127.0.0.1:8546", false, null, null, null, null, "connection refused"),
        ];

        List<string> lines = StatusTable.Render(statuses, [12.345, 0], null);

        Assert.Equal(
        [
            "NODE        ROLE    HEIGHT  PEERS   TPS  RPC                    STATE",
            "org1-node1  leader    1234      3  12.3  http://127.0.0.1:8545  ok",
            "org2-node1  -            -      -     -  http://127.0.0.1:8546  down: connection refused",
        ], lines);
    }

    [Fact]
    public void Render_UsesTheGivenNotesAndLeavesOutTpsWhenNotGiven()
    {
        NodeStatus[] statuses = [new("n", "http://h:1", true, 7, "solo", 0, true, null)];

        Assert.Equal(["NODE  ROLE  HEIGHT  PEERS  RPC         STATE", "n     solo       7      0  http://h:1  syncing"], StatusTable.Render(statuses, null, null));
        Assert.Equal("n     solo       7      0  http://h:1  exited (1)", StatusTable.Render(statuses, null, ["exited (1)"])[1]);
    }
}
