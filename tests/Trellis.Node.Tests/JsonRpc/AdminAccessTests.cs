using System.Net;
using System.Security.Cryptography;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Tests.JsonRpc;

/// <summary>The admin access decision, tested directly (addresses that cannot be produced over loopback included).</summary>
public sealed class AdminAccessTests
{
    private static readonly byte[] Key = Convert.FromHexString("8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80");
    private static readonly string KeyHex = "8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("::1")]
    public void Disabled_RefusesEveryCallerEvenWithAKey(string remote)
    {
        Assert.False(AdminAccess.Disabled.Enabled);
        Assert.Equal(AdminDecision.Disabled, AdminAccess.Disabled.Decide(IPAddress.Parse(remote), ["Bearer " + KeyHex]));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Enabled_AllowsTheRightKeyFromLoopback(string remote)
    {
        AdminAccess access = AdminAccess.Enable(Key, allowRemote: false);
        Assert.Equal(AdminDecision.Allowed, access.Decide(IPAddress.Parse(remote), ["Bearer " + KeyHex]));
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.5")]
    public void RemoteCaller_IsRefusedWithTheRightKeyUnlessRemoteIsAllowed(string remote)
    {
        IPAddress address = IPAddress.Parse(remote);
        Assert.Equal(AdminDecision.RemoteNotAllowed, AdminAccess.Enable(Key, allowRemote: false).Decide(address, ["Bearer " + KeyHex]));
        Assert.Equal(AdminDecision.Allowed, AdminAccess.Enable(Key, allowRemote: true).Decide(address, ["Bearer " + KeyHex]));
    }

    [Fact]
    public void UnknownRemoteAddress_IsNotTreatedAsLoopback()
    {
        Assert.Equal(AdminDecision.RemoteNotAllowed, AdminAccess.Enable(Key, allowRemote: false).Decide(null, ["Bearer " + KeyHex]));
    }

    [Fact]
    public void RemoteCaller_IsRefusedBeforeTheKeyIsLookedAt()
    {
        // A wrong key and a right key get the same answer from afar: no oracle for guessing.
        AdminAccess access = AdminAccess.Enable(Key, allowRemote: false);
        IPAddress remote = IPAddress.Parse("203.0.113.9");
        Assert.Equal(AdminDecision.RemoteNotAllowed, access.Decide(remote, ["Bearer " + new string('1', 64)]));
        Assert.Equal(AdminDecision.RemoteNotAllowed, access.Decide(remote, null));
    }

    [Fact]
    public void MissingHeader_IsMissingCredentials()
    {
        AdminAccess access = AdminAccess.Enable(Key, allowRemote: false);
        Assert.Equal(AdminDecision.MissingCredentials, access.Decide(IPAddress.Loopback, null));
        Assert.Equal(AdminDecision.MissingCredentials, access.Decide(IPAddress.Loopback, []));
        Assert.Equal(AdminDecision.MissingCredentials, access.Decide(IPAddress.Loopback, [string.Empty]));
    }

    [Fact]
    public void WrongKey_IsRefused()
    {
        AdminAccess access = AdminAccess.Enable(Key, allowRemote: false);
        byte[] other = (byte[])Key.Clone();
        other[^1] ^= 1;
        Assert.Equal(AdminDecision.WrongKey, access.Decide(IPAddress.Loopback, ["Bearer " + Convert.ToHexString(other)]));
        other = (byte[])Key.Clone();
        other[0] ^= 0x80;
        Assert.Equal(AdminDecision.WrongKey, access.Decide(IPAddress.Loopback, ["Bearer " + Convert.ToHexString(other)]));
    }

    [Theory]
    [InlineData("bearer 8F3A9C1D2E4B5A6978C0D1E2F30415263748596A7B8C9D0E1F2A3B4C5D6E7F80")]
    [InlineData("BEARER 0x8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80")]
    [InlineData("Bearer   8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80  ")]
    public void SchemeCaseHexCaseAndSpacing_AreTolerated(string header)
    {
        Assert.Equal(AdminDecision.Allowed, AdminAccess.Enable(Key, allowRemote: false).Decide(IPAddress.Loopback, [header]));
    }

    [Theory]
    [InlineData("8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80")]
    [InlineData("Basic 8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80")]
    [InlineData("Bearer 8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f8")]
    [InlineData("Bearer 8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f800")]
    [InlineData("Bearer 8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7fzz")]
    [InlineData("Bearer 8f3a9c1d2e4b5a69 78c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80")]
    [InlineData("Bearer 8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80 extra")]
    [InlineData("Bearer\t8f3a9c1d2e4b5a6978c0d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e7f80")]
    [InlineData("Bearer jR6cHS5LWml4wNHi8wQVJjdIWWp7jJ0OHyo7TF1uf4A=")]
    public void MalformedAuthorizationHeader_IsRefused(string header)
    {
        Assert.Equal(AdminDecision.MalformedCredentials, AdminAccess.Enable(Key, allowRemote: false).Decide(IPAddress.Loopback, [header]));
    }

    [Fact]
    public void OversizedOrRepeatedAuthorizationHeader_IsRefused()
    {
        AdminAccess access = AdminAccess.Enable(Key, allowRemote: false);
        Assert.Equal(AdminDecision.MalformedCredentials, access.Decide(IPAddress.Loopback, ["Bearer " + KeyHex + new string(' ', 300)]));
        Assert.Equal(AdminDecision.MalformedCredentials, access.Decide(IPAddress.Loopback, ["Bearer " + new string('a', 100_000)]));
        Assert.Equal(AdminDecision.MalformedCredentials, access.Decide(IPAddress.Loopback, ["Bearer " + KeyHex, "Bearer " + KeyHex]));
        Assert.Equal(AdminDecision.MalformedCredentials, access.Decide(IPAddress.Loopback, [null]));
    }

    [Fact]
    public void Enable_RefusesKeysOfTheWrongSizeOrAllZeros()
    {
        Assert.Throws<ArgumentException>(() => AdminAccess.Enable(new byte[31], false));
        Assert.Throws<ArgumentException>(() => AdminAccess.Enable(new byte[33], false));
        Assert.Throws<ArgumentException>(() => AdminAccess.Enable(new byte[32], false));
    }

    [Fact]
    public void RandomKeys_AreAcceptedExactlyWhenEqual()
    {
        // Property: for random keys k and presented p, the decision is Allowed iff p == k (both as bytes).
        for (int i = 0; i < 200; i++)
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            byte[] presented = i % 2 == 0 ? (byte[])key.Clone() : RandomNumberGenerator.GetBytes(32);
            AdminDecision decision = AdminAccess.Enable(key, false).Decide(IPAddress.Loopback, ["Bearer " + Convert.ToHexStringLower(presented)]);
            Assert.Equal(key.AsSpan().SequenceEqual(presented) ? AdminDecision.Allowed : AdminDecision.WrongKey, decision);
        }
    }

    [Theory]
    [InlineData("admin_peers", true)]
    [InlineData("admin_", true)]
    [InlineData("Admin_peers", false)]
    [InlineData("eth_admin_peers", false)]
    [InlineData("trellis_status", false)]
    public void AdminMethods_AreThoseWithTheAdminPrefix(string method, bool admin)
    {
        Assert.Equal(admin, AdminAccess.IsAdminMethod(method));
    }
}
