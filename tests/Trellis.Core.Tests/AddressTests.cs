namespace Trellis.Core.Tests;

public class AddressTests
{
    // The examples published in the EIP-55 text, each already in checksummed form.
    public static TheoryData<string> Eip55Examples => new()
    {
        // All caps
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        // All lower
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        // Normal
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };

    [Theory]
    [MemberData(nameof(Eip55Examples))]
    public void ToString_ProducesThePublishedEip55Form(string published)
    {
        Address address = Address.Parse(published.ToLowerInvariant());
        Assert.Equal(published, address.ToString());
    }

    [Theory]
    [MemberData(nameof(Eip55Examples))]
    public void Parse_AcceptsChecksummedAllLowerAndAllUpperForms(string published)
    {
        byte[] expected = Hex.Decode(published);
        Assert.Equal(expected, Address.Parse(published).ToArray());
        Assert.Equal(expected, Address.Parse(published.ToLowerInvariant()).ToArray());
        Assert.Equal(expected, Address.Parse("0x" + published[2..].ToUpperInvariant()).ToArray());
        Assert.Equal(expected, Address.Parse(published[2..]).ToArray());
        Assert.Equal(published.ToLowerInvariant(), Address.Parse(published).ToLowerHex());
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")]
    [InlineData("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35A")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9adb")]
    public void Parse_RejectsMixedCaseWithWrongChecksum(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.StartsWith("address checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.False(Address.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0x", "got 0")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "got 39")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", "got 42")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", "'g' at position 41")]
    [InlineData("0x 5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "' ' at position 2")]
    public void Parse_RejectsMalformedText(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.False(Address.TryParse(text, out Address value));
        Assert.Equal(Address.Zero, value);
    }

    [Fact]
    public void Parse_RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Address.Parse(null!));
        Assert.False(Address.TryParse(null, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(32)]
    public void Constructor_RejectsWrongLength(int length)
    {
        Assert.Throws<ArgumentException>(() => new Address(new byte[length]));
    }

    [Fact]
    public void FromHash_TakesTheLast20Bytes()
    {
        // Ethereum address of the secp256k1 public key of private key 1 (generator G):
        // keccak256(Gx || Gy) ends with 7e5f4552091a69125d5dfcb7b8c2659029395bdf.
        byte[] publicKey = Hex.Decode(
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
        Address address = Address.FromHash(Keccak256.Hash(publicKey));
        Assert.Equal("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", address.ToString());
    }

    [Fact]
    public void Zero_IsDefaultAndAllZero()
    {
        Assert.Equal(default, Address.Zero);
        Assert.Equal("0x0000000000000000000000000000000000000000", Address.Zero.ToString());
    }

    [Fact]
    public void EqualityAndOrder_FollowTheBytes()
    {
        Address a = Address.Parse("0x0000000000000000000000000000000000000001");
        Address b = Address.Parse("0x0000000000000000000000000000000000000100");
        Address c = Address.Parse("0x0100000000000000000000000000000000000000");
        Assert.True(a < b && b < c && a < c);
        Assert.Equal(a, Address.Parse("0x0000000000000000000000000000000000000001"));
        Assert.NotEqual(a, b);
        Assert.Equal(0, a.CompareTo(a));
    }
}
