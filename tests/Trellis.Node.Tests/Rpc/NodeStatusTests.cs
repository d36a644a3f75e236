using Trellis.Node.Rpc;

namespace Trellis.Node.Tests.Rpc;

public sealed class NodeStatusTests
{
    [Theory]
    [InlineData(true, 100, 100, false)]
    [InlineData(true, 100, 101, false)]
    [InlineData(true, 100, 102, false)] // a HotStuff validator knows of h - 1 while it has committed h - 3
    [InlineData(true, 100, 103, true)]
    [InlineData(true, 0, 5000, true)]
    [InlineData(false, 0, 5000, false)] // not yet started catching up (grace period)
    [InlineData(true, 100, 90, false)] // peers behind us
    [InlineData(true, ulong.MaxValue, 0, false)]
    [InlineData(true, 0, ulong.MaxValue, true)]
    public void IsSyncing_OnlyWhenCatchingUpAndMoreThanTwoBlocksBehind(bool synchronizer, ulong head, ulong best, bool expected)
    {
        Assert.Equal(expected, NodeStatus.IsSyncing(synchronizer, head, best));
    }
}
