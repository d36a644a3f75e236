using Trellis.Consensus.HotStuff;
using Trellis.Crypto;

namespace Trellis.Consensus.Tests.HotStuff;

public class ValidatorSetTests
{
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(4, 1, 3)]
    [InlineData(7, 2, 5)]
    [InlineData(10, 3, 7)]
    [InlineData(16, 5, 11)]
    public void QuorumIsTwoFPlusOne_ForThreeFPlusOneValidators(int n, int f, int quorum)
    {
        var set = new HotStuffFixture(n).Validators;
        Assert.Equal(f, set.FaultTolerance);
        Assert.Equal(quorum, set.Quorum);
    }

    [Fact]
    public void AnyTwoQuorumsShareAnHonestValidator_ForEverySizeUpTo40()
    {
        // Two quorums overlap in 2q − n validators; at most f are Byzantine, so the overlap must exceed f.
        for (int n = 1; n <= 40; n++)
        {
            int f = (n - 1) / 3;
            int q = (2 * n / 3) + 1;
            Assert.True(2 * q - n >= f + 1, $"n={n}");
            Assert.True(q <= n - f, $"n={n}: a quorum must be reachable with f silent validators");
        }
    }

    [Fact]
    public void LeaderRotatesRoundRobin()
    {
        var set = new HotStuffFixture(4).Validators;
        Assert.Equal([1, 2, 3, 0, 1], new[] { 1L, 2, 3, 4, 5 }.Select(set.LeaderOf));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.LeaderOf(-1));
    }

    [Fact]
    public void ATimeoutSkipsTheRestOfTheLeadersTerm()
    {
        var f = new HotStuffFixture(4);
        var one = f.Validators;
        Assert.Equal([1L, 2, 3, 8], new[] { 0L, 1, 2, 7 }.Select(one.ViewAfterTimeout));

        var two = new ValidatorSet([.. f.Keys.Select(f.Suite.DerivePublicKey)], viewsPerLeader: 2);
        // Views 2 and 3 are validator 1's term: a timeout in either moves to view 4, validator 2's first.
        Assert.Equal([2L, 2, 4, 4, 6], new[] { 0L, 1, 2, 3, 4 }.Select(two.ViewAfterTimeout));
        Assert.Equal(two.LeaderOf(2) + 1, two.LeaderOf(two.ViewAfterTimeout(2)));

        var three = new ValidatorSet([.. f.Keys.Select(f.Suite.DerivePublicKey)], viewsPerLeader: 3);
        Assert.Equal([3L, 3, 6, 6, 6], new[] { 1L, 2, 3, 4, 5 }.Select(three.ViewAfterTimeout));

        // Hostile view numbers neither wrap nor throw past the negative check.
        Assert.Equal(long.MaxValue, two.ViewAfterTimeout(long.MaxValue));
        Assert.Equal(long.MaxValue, three.ViewAfterTimeout(long.MaxValue - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => two.ViewAfterTimeout(-1));
    }

    [Fact]
    public void RejectsEmptyAndRepeatedKeys()
    {
        var f = new HotStuffFixture(2);
        Assert.Throws<ArgumentException>(() => new ValidatorSet(Array.Empty<PublicKey>()));
        var repeated = Assert.Throws<ArgumentException>(() => new ValidatorSet([f.Validators[0], f.Validators[1], f.Validators[0]]));
        Assert.Contains("validator 2 repeats the key of validator 0", repeated.Message);
        Assert.Equal(1, f.Validators.IndexOf(f.Validators[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Validators[2]);
    }
}
