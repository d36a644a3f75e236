using Trellis.Consensus.HotStuff;

namespace Trellis.Consensus.Tests.HotStuff;

public class PacemakerTests
{
    private static readonly HotStuffOptions Options = new() { BaseTimeout = 100, MaxTimeout = 1000 };

    private static Pacemaker Create() => new(new HotStuffFixture(4).Validators, Options, 1, 0);

    [Fact]
    public void TimeoutDoublesPerFailedViewAfterTheFirstUpToTheCap()
    {
        var pacemaker = Create();
        Assert.Equal([100L, 100, 200, 400, 800, 1000, 1000], Enumerable.Range(0, 7).Select(pacemaker.TimeoutFor));
        Assert.Equal(1000, pacemaker.TimeoutFor(int.MaxValue));
    }

    [Fact]
    public void TimeoutCertificatesBackOffAndAQcResets()
    {
        var pacemaker = Create();
        Assert.Equal(100, pacemaker.Deadline);
        Assert.True(pacemaker.AdvanceOnTc(1, 150));
        Assert.Equal((2L, 1, 250L), (pacemaker.CurrentView, pacemaker.ConsecutiveFailures, pacemaker.Deadline));
        Assert.True(pacemaker.AdvanceOnTc(2, 400));
        Assert.Equal((3L, 2, 600L), (pacemaker.CurrentView, pacemaker.ConsecutiveFailures, pacemaker.Deadline));
        Assert.True(pacemaker.AdvanceOnQc(3, 500));
        Assert.Equal((4L, 0, 600L), (pacemaker.CurrentView, pacemaker.ConsecutiveFailures, pacemaker.Deadline));
    }

    [Fact]
    public void WithTwoViewsPerLeader_ATimeoutCertificateMovesToTheNextLeadersFirstView()
    {
        var f = new HotStuffFixture(4);
        var validators = new ValidatorSet([.. f.Keys.Select(f.Suite.DerivePublicKey)], viewsPerLeader: 2);
        var pacemaker = new Pacemaker(validators, Options, 1, 0);
        Assert.True(pacemaker.AdvanceOnTc(2, 10));
        Assert.Equal((4L, 2), (pacemaker.CurrentView, pacemaker.CurrentLeader));
        Assert.True(pacemaker.AdvanceOnQc(4, 20));
        Assert.Equal(5L, pacemaker.CurrentView);
        Assert.True(pacemaker.AdvanceOnTc(5, 30));
        Assert.Equal((6L, 3), (pacemaker.CurrentView, pacemaker.CurrentLeader));
    }

    [Fact]
    public void OldCertificatesDoNotMoveTheView()
    {
        var pacemaker = Create();
        Assert.True(pacemaker.AdvanceOnQc(6, 10));
        Assert.False(pacemaker.AdvanceOnQc(5, 20));
        Assert.False(pacemaker.AdvanceOnTc(6, 20));
        Assert.Equal(7, pacemaker.CurrentView);
        Assert.True(pacemaker.AdvanceOnTc(9, 30));
        Assert.Equal(10, pacemaker.CurrentView);
    }

    [Fact]
    public void ExpiresAtTheDeadlineAndALocalTimeoutSchedulesTheResend()
    {
        var pacemaker = Create();
        Assert.False(pacemaker.IsExpired(99));
        Assert.True(pacemaker.IsExpired(100));
        pacemaker.RecordLocalTimeout(100);
        Assert.Equal(1, pacemaker.CurrentView);
        Assert.Equal(200, pacemaker.Deadline);
    }

    [Fact]
    public void LeaderFollowsTheView()
    {
        var pacemaker = Create();
        Assert.Equal(1, pacemaker.CurrentLeader);
        pacemaker.AdvanceOnQc(2, 0);
        Assert.Equal(3, pacemaker.CurrentLeader);
    }

    [Fact]
    public void RejectsBadOptions()
    {
        var validators = new HotStuffFixture(4).Validators;
        Assert.Throws<ArgumentException>(() => new Pacemaker(validators, new HotStuffOptions { BaseTimeout = 0 }, 1, 0));
        Assert.Throws<ArgumentException>(() => new Pacemaker(validators, new HotStuffOptions { BaseTimeout = 10, MaxTimeout = 5 }, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pacemaker(validators, Options, 0, 0));
    }
}
