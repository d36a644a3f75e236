using System.Globalization;
using System.Numerics;
using Trellis.Core;
using static Trellis.Core.Tests.UInt256Reference;

namespace Trellis.Core.Tests;

public sealed class UInt256Tests
{
    private const string MaxDecimal = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    private const string MaxHex = "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string MinSignedHex = "0x8000000000000000000000000000000000000000000000000000000000000000";
    private const string MaxSignedHex = "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    // Builds a word from hex text through BigInteger, independently of UInt256.Parse.
    private static UInt256 Hex(string hex) =>
        Word(BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    private static UInt256 Dec(string text) => Word(BigInteger.Parse(text, CultureInfo.InvariantCulture));

    [Fact]
    public void Constants_HaveTheirLimbValues()
    {
        Assert.Equal(new UInt256(0, 0, 0, 0), UInt256.Zero);
        Assert.Equal(new UInt256(1, 0, 0, 0), UInt256.One);
        Assert.Equal(new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue), UInt256.MaxValue);
        Assert.Equal(Modulus - 1, Big(UInt256.MaxValue));
        Assert.True(UInt256.Zero.IsZero);
        Assert.True(UInt256.One.IsOne);
        Assert.False(new UInt256(1, 1).IsOne);
        Assert.True(UInt256.MaxValue.IsNegative);
    }

    [Fact]
    public void BitLengthAndByteLength_CountSignificantBitsAndBytes()
    {
        Assert.Equal(0, UInt256.Zero.BitLength);
        Assert.Equal(0, UInt256.Zero.ByteLength);
        Assert.Equal(1, UInt256.One.BitLength);
        Assert.Equal(9, new UInt256(256).BitLength);
        Assert.Equal(2, new UInt256(256).ByteLength);
        Assert.Equal(65, new UInt256(0, 1).BitLength);
        Assert.Equal(9, new UInt256(0, 1).ByteLength);
        Assert.Equal(256, UInt256.MaxValue.BitLength);
        Assert.Equal(32, UInt256.MaxValue.ByteLength);
    }

    [Fact]
    public void Conversions_WidenUlongAndTruncateToLowLimb()
    {
        UInt256 widened = 42UL;
        Assert.Equal(new UInt256(42), widened);
        Assert.Equal(7UL, (ulong)new UInt256(7, 9, 9, 9));
        Assert.True(new UInt256(ulong.MaxValue).FitsInUlong);
        Assert.False(new UInt256(0, 0, 0, 1).FitsInUlong);
    }

    [Theory]
    [InlineData("0", "0x0")]
    [InlineData("000123", "0x7b")]
    [InlineData("18446744073709551615", "0xffffffffffffffff")]
    [InlineData("18446744073709551616", "0x10000000000000000")]
    [InlineData("10000000000000000000000000000000000000", "0x785ee10d5da46d900f436a000000000")]
    [InlineData(MaxDecimal, MaxHex)]
    public void Parse_ReadsDecimalAndHex(string decimalText, string hexText)
    {
        var expected = Dec(decimalText);
        Assert.Equal(expected, UInt256.Parse(decimalText));
        Assert.Equal(expected, UInt256.Parse(hexText));
        Assert.Equal(expected, UInt256.Parse(hexText.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)));
        Assert.Equal(expected, UInt256.Parse("0X" + hexText[2..]));
        Assert.True(UInt256.TryParse(decimalText, out var parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(hexText, expected.ToHexString());
        Assert.Equal(decimalText.TrimStart('0').PadLeft(1, '0'), expected.ToString());
    }

    [Fact]
    public void Parse_AcceptsLeadingZerosBeyondTheWidth()
    {
        Assert.Equal(UInt256.One, UInt256.Parse("0x" + new string('0', 100) + "1"));
        Assert.Equal(UInt256.MaxValue, UInt256.Parse(new string('0', 100) + MaxDecimal));
        Assert.Equal(UInt256.Zero, UInt256.Parse("0x" + new string('0', 100)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0X")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1_000")]
    [InlineData("1,000")]
    [InlineData("12a")]
    [InlineData("0xabcg")]
    [InlineData("0x-1")]
    [InlineData("0x 1")]
    [InlineData("x10")]
    [InlineData("0b101")]
    [InlineData("\u0661\u0662")] // Arabic-Indic digits are not ASCII digits.
    [InlineData("１２")] // Full-width digits.
    public void Parse_RejectsMalformedTextWithFormatException(string text)
    {
        var error = Assert.Throws<FormatException>(() => UInt256.Parse(text));
        Assert.Contains("UInt256", error.Message, StringComparison.Ordinal);
        Assert.False(UInt256.TryParse(text, out var value));
        Assert.Equal(UInt256.Zero, value);
    }

    [Fact]
    public void Parse_NamesTheBadCharacterAndItsPosition()
    {
        var error = Assert.Throws<FormatException>(() => UInt256.Parse("0x12z4"));
        Assert.Contains("'z' at index 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"0x12z4\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")] // 2^256
    [InlineData("999999999999999999999999999999999999999999999999999999999999999999999999999999")] // 78 nines
    [InlineData("1000000000000000000000000000000000000000000000000000000000000000000000000000000")] // 79 digits
    [InlineData("0x10000000000000000000000000000000000000000000000000000000000000000")] // 65 hex digits
    public void Parse_RejectsValuesOf2To256OrMoreWithOverflowException(string text)
    {
        Assert.Throws<OverflowException>(() => UInt256.Parse(text));
        Assert.False(UInt256.TryParse(text, out _));
    }

    [Fact]
    public void Parse_HandlesHostileLongInputQuicklyWithAShortMessage()
    {
        string huge = new('9', 1_000_000);
        var error = Assert.Throws<OverflowException>(() => UInt256.Parse(huge));
        Assert.True(error.Message.Length < 300);
        Assert.Throws<FormatException>(() => UInt256.Parse(huge + "x"));
        Assert.Throws<OverflowException>(() => UInt256.Parse("0x" + huge));
    }

    [Fact]
    public void Parse_RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => UInt256.Parse(null!));
        Assert.False(UInt256.TryParse(null, out _));
    }

    [Fact]
    public void ToString_FormatsDecimalAndHexVariants()
    {
        var value = Dec("123456789012345678901234567890");
        Assert.Equal("123456789012345678901234567890", value.ToString());
        Assert.Equal("123456789012345678901234567890", value.ToString("D"));
        Assert.Equal("18ee90ff6c373e0ee4e3f0ad2", value.ToString("x"));
        Assert.Equal("18EE90FF6C373E0EE4E3F0AD2", value.ToString("X"));
        Assert.Equal("0x18ee90ff6c373e0ee4e3f0ad2", value.ToHexString());
        Assert.Equal("0x0", UInt256.Zero.ToHexString());
        Assert.Equal("0", UInt256.Zero.ToString("x"));
        Assert.Equal("value 0x2a", string.Create(CultureInfo.InvariantCulture, $"value 0x{new UInt256(42):x}"));
        Assert.Throws<FormatException>(() => value.ToString("N"));
    }

    [Fact]
    public void FromBigEndian_LeftPadsShortInput()
    {
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian([]));
        Assert.Equal(new UInt256(0x0102), UInt256.FromBigEndian([0x01, 0x02]));
        Assert.Equal(new UInt256(0, 1), UInt256.FromBigEndian([1, 0, 0, 0, 0, 0, 0, 0, 0]));
        var bytes = new byte[32];
        bytes[0] = 0x80;
        bytes[31] = 0x01;
        Assert.Equal(new UInt256(1, 0, 0, 0x8000_0000_0000_0000UL), UInt256.FromBigEndian(bytes));
    }

    [Fact]
    public void FromBigEndian_RejectsMoreThan32Bytes()
    {
        var error = Assert.Throws<ArgumentException>(() => UInt256.FromBigEndian(new byte[33]));
        Assert.Contains("33", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteBigEndian_WritesMostSignificantByteFirst()
    {
        var value = new UInt256(0x1112131415161718, 0x2122232425262728, 0x3132333435363738, 0x4142434445464748);
        var bytes = value.ToBigEndian();
        Assert.Equal(0x41, bytes[0]);
        Assert.Equal(0x48, bytes[7]);
        Assert.Equal(0x31, bytes[8]);
        Assert.Equal(0x18, bytes[31]);
        Span<byte> destination = stackalloc byte[32];
        value.WriteBigEndian(destination);
        Assert.True(destination.SequenceEqual(bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void WriteBigEndian_RejectsDestinationsThatAreNot32Bytes(int length)
    {
        var destination = new byte[length];
        Assert.Throws<ArgumentException>(() => UInt256.One.WriteBigEndian(destination));
    }

    [Fact]
    public void ToBigEndianTrimmed_IsEmptyForZeroAndMinimalOtherwise()
    {
        Assert.Empty(UInt256.Zero.ToBigEndianTrimmed());
        Assert.Equal([0x01], UInt256.One.ToBigEndianTrimmed());
        Assert.Equal([0x01, 0x00], new UInt256(256).ToBigEndianTrimmed());
        Assert.Equal(32, UInt256.MaxValue.ToBigEndianTrimmed().Length);
    }

    [Fact]
    public void FromBigInteger_RejectsValuesOutsideTheRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.FromBigInteger(BigInteger.MinusOne));
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.FromBigInteger(Modulus));
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.FromBigInteger(BigInteger.Pow(10, 100)));
        Assert.Equal(UInt256.MaxValue, UInt256.FromBigInteger(Modulus - 1));
        Assert.Equal(UInt256.Zero, UInt256.FromBigInteger(BigInteger.Zero));
    }

    [Fact]
    public void CompareTo_Object_HandlesNullAndRejectsOtherTypes()
    {
        IComparable comparable = UInt256.One;
        Assert.Equal(1, comparable.CompareTo(null));
        Assert.Equal(0, comparable.CompareTo(UInt256.One));
        Assert.Throws<ArgumentException>(() => comparable.CompareTo(1UL));
        Assert.False(UInt256.One.Equals((object)1UL));
    }

    [Fact]
    public void GetHashCode_SpreadsValuesDifferingInOneLimb()
    {
        var hashes = new HashSet<int>();
        for (int limb = 0; limb < 4; limb++)
        {
            for (ulong i = 0; i < 256; i++)
            {
                var value = limb switch
                {
                    0 => new UInt256(i),
                    1 => new UInt256(0, i),
                    2 => new UInt256(0, 0, i),
                    _ => new UInt256(0, 0, 0, i),
                };
                hashes.Add(value.GetHashCode());
            }
        }

        // 1,021 distinct values (zero counted four times); allow a handful of 32-bit collisions.
        Assert.True(hashes.Count > 1010, $"only {hashes.Count} distinct hash codes for 1,021 values");
    }

    // EVM corner cases, with results from the yellow paper's definitions.
    [Fact]
    public void SignedDivide_OfMinimumByMinusOne_IsTheMinimum()
    {
        UInt256.SignedDivide(Hex(MinSignedHex), UInt256.MaxValue, out var result);
        Assert.Equal(Hex(MinSignedHex), result);
    }

    [Theory]
    [InlineData(-7, 2, -3)]
    [InlineData(7, -2, -3)]
    [InlineData(-7, -2, 3)]
    [InlineData(7, 2, 3)]
    [InlineData(-1, 0, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(-1, 1, -1)]
    public void SignedDivide_TruncatesTowardZero(long a, long b, long expected)
    {
        UInt256.SignedDivide(Word(a), Word(b), out var result);
        Assert.Equal(Word(expected), result);
    }

    [Theory]
    [InlineData(-7, 2, -1)]
    [InlineData(7, -2, 1)]
    [InlineData(-8, -3, -2)]
    [InlineData(8, 3, 2)]
    [InlineData(-8, 0, 0)]
    [InlineData(-9, 3, 0)]
    public void SignedModulo_TakesTheSignOfTheDividend(long a, long b, long expected)
    {
        UInt256.SignedModulo(Word(a), Word(b), out var result);
        Assert.Equal(Word(expected), result);
    }

    [Fact]
    public void SignedModulo_OfMinimumByMinusOne_IsZero()
    {
        UInt256.SignedModulo(Hex(MinSignedHex), UInt256.MaxValue, out var result);
        Assert.Equal(UInt256.Zero, result);
    }

    [Fact]
    public void DivisionByZero_GivesZeroForEveryDivision()
    {
        var x = Hex(MaxSignedHex);
        UInt256.Divide(x, UInt256.Zero, out var quotient);
        UInt256.Modulo(x, UInt256.Zero, out var remainder);
        UInt256.AddMod(x, x, UInt256.Zero, out var addMod);
        UInt256.MulMod(x, x, UInt256.Zero, out var mulMod);
        Assert.Equal(UInt256.Zero, quotient);
        Assert.Equal(UInt256.Zero, remainder);
        Assert.Equal(UInt256.Zero, addMod);
        Assert.Equal(UInt256.Zero, mulMod);
    }

    [Fact]
    public void AddMod_UsesTheFullSumBeyond2To256()
    {
        // (2^256 - 1) + (2^256 - 1) = 2 * (2^256 - 1), so mod 2^256 - 1 it is 0.
        UInt256.AddMod(UInt256.MaxValue, UInt256.MaxValue, UInt256.MaxValue, out var r1);
        Assert.Equal(UInt256.Zero, r1);
        UInt256.AddMod(UInt256.MaxValue, new UInt256(2), new UInt256(2), out var r2);
        Assert.Equal(UInt256.One, r2);

        // 2^256 + 1 mod 3 is 2; the wrapped sum 1 would give 1.
        UInt256.AddMod(UInt256.MaxValue, new UInt256(2), new UInt256(3), out var r3);
        Assert.Equal(Word((Modulus + 1) % 3), r3);
        Assert.NotEqual(UInt256.One, r3);
    }

    [Fact]
    public void MulMod_UsesTheFull512BitProduct()
    {
        // (2^256 - 1)^2 mod (2^256 - 2) = 1, while the wrapped product (1) mod anything would hide an error elsewhere.
        UInt256.MulMod(UInt256.MaxValue, UInt256.MaxValue, Word(Modulus - 2), out var r1);
        Assert.Equal(UInt256.One, r1);
        UInt256.MulMod(UInt256.MaxValue, UInt256.MaxValue, new UInt256(12), out var r2);
        Assert.Equal(Word((Modulus - 1) * (Modulus - 1) % 12), r2);
        UInt256.MulMod(Hex(MinSignedHex), new UInt256(2), new UInt256(7), out var r3);
        Assert.Equal(Word(Modulus % 7), r3);
    }

    [Theory]
    [InlineData("0x2", "0xff", MinSignedHex)]
    [InlineData("0x2", "0x100", "0x0")]
    [InlineData("0x0", "0x0", "0x1")]
    [InlineData("0x0", "0x5", "0x0")]
    [InlineData(MaxHex, "0x0", "0x1")]
    [InlineData(MaxHex, "0x2", "0x1")]
    [InlineData(MaxHex, "0x3", MaxHex)]
    [InlineData("0x100", "0x1f", "0x100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x100", "0x20", "0x0")]
    public void Exp_WrapsModulo2To256(string b, string e, string expected)
    {
        UInt256.Exp(Hex(b), Hex(e), out var result);
        Assert.Equal(Hex(expected), result);
    }

    [Theory]
    [InlineData("0x0", "0xff", MaxHex)]
    [InlineData("0x0", "0x7f", "0x7f")]
    [InlineData("0x0", "0x12345680", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80")]
    [InlineData("0x1", "0x12ff80", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80")]
    [InlineData("0x1", "0x127f80", "0x7f80")]
    [InlineData("0x7", "0x80000000000000ff", "0xffffffffffffffffffffffffffffffffffffffffffffffff80000000000000ff")]
    [InlineData("0x8", "0x12800000000000000000", "0xffffffffffffffffffffffffffffffffffffffffffffff800000000000000000")]
    [InlineData("0x1e", "0x0080000000000000000000000000000000000000000000000000000000000000", "0xff80000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x1e", "0xff7f000000000000000000000000000000000000000000000000000000000000", "0x007f000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x1f", "0x0080", "0x80")]
    [InlineData("0x1f", MaxHex, MaxHex)]
    [InlineData("0x20", "0xff", "0xff")]
    [InlineData("0x10000000000000000", "0xff", "0xff")]
    [InlineData(MaxHex, "0xff", "0xff")]
    public void SignExtend_CopiesTheSignBitOfByteB(string b, string x, string expected)
    {
        UInt256.SignExtend(Hex(b), Hex(x), out var result);
        Assert.Equal(Hex(expected), result);
    }

    // EIP-145 test cases (shift, value, result).
    [Theory]
    [InlineData("0x00", "0x01", "0x01")]
    [InlineData("0x01", "0x01", "0x02")]
    [InlineData("0xff", "0x01", MinSignedHex)]
    [InlineData("0x0100", "0x01", "0x00")]
    [InlineData("0x0101", "0x01", "0x00")]
    [InlineData("0x00", MaxHex, MaxHex)]
    [InlineData("0x01", MaxHex, "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe")]
    [InlineData("0xff", MaxHex, MinSignedHex)]
    [InlineData("0x0100", MaxHex, "0x00")]
    [InlineData("0x01", "0x00", "0x00")]
    [InlineData("0x01", MaxSignedHex, "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe")]
    public void ShiftLeft_MatchesEip145Cases(string shift, string value, string expected)
    {
        UInt256.ShiftLeft(Hex(value), Hex(shift), out var result);
        Assert.Equal(Hex(expected), result);
    }

    [Theory]
    [InlineData("0x00", "0x01", "0x01")]
    [InlineData("0x01", "0x01", "0x00")]
    [InlineData("0x01", MinSignedHex, "0x4000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xff", MinSignedHex, "0x01")]
    [InlineData("0x0100", MinSignedHex, "0x00")]
    [InlineData("0x0101", MinSignedHex, "0x00")]
    [InlineData("0x00", MaxHex, MaxHex)]
    [InlineData("0x01", MaxHex, MaxSignedHex)]
    [InlineData("0xff", MaxHex, "0x01")]
    [InlineData("0x0100", MaxHex, "0x00")]
    [InlineData("0x01", "0x00", "0x00")]
    public void ShiftRight_MatchesEip145Cases(string shift, string value, string expected)
    {
        UInt256.ShiftRight(Hex(value), Hex(shift), out var result);
        Assert.Equal(Hex(expected), result);
    }

    [Theory]
    [InlineData("0x00", "0x01", "0x01")]
    [InlineData("0x01", "0x01", "0x00")]
    [InlineData("0x01", MinSignedHex, "0xc000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xff", MinSignedHex, MaxHex)]
    [InlineData("0x0100", MinSignedHex, MaxHex)]
    [InlineData("0x0101", MinSignedHex, MaxHex)]
    [InlineData("0x00", MaxHex, MaxHex)]
    [InlineData("0x01", MaxHex, MaxHex)]
    [InlineData("0xff", MaxHex, MaxHex)]
    [InlineData("0x0100", MaxHex, MaxHex)]
    [InlineData("0x01", "0x00", "0x00")]
    [InlineData("0xfe", "0x4000000000000000000000000000000000000000000000000000000000000000", "0x01")]
    [InlineData("0xf8", MaxSignedHex, "0x7f")]
    [InlineData("0xfe", MaxSignedHex, "0x01")]
    [InlineData("0xff", MaxSignedHex, "0x00")]
    [InlineData("0x0100", MaxSignedHex, "0x00")]
    public void ArithmeticShiftRight_MatchesEip145Cases(string shift, string value, string expected)
    {
        UInt256.ArithmeticShiftRight(Hex(value), Hex(shift), out var result);
        Assert.Equal(Hex(expected), result);
    }

    [Fact]
    public void Shifts_ByHugeCounts_GiveZeroOrAllOnes()
    {
        var huge = new UInt256(0, 0, 0, 1);
        UInt256.ShiftLeft(UInt256.One, huge, out var left);
        UInt256.ShiftRight(UInt256.MaxValue, huge, out var right);
        UInt256.ArithmeticShiftRight(UInt256.MaxValue, huge, out var negative);
        UInt256.ArithmeticShiftRight(Hex(MaxSignedHex), huge, out var positive);
        UInt256.ShiftLeft(UInt256.One, int.MaxValue, out var leftInt);
        Assert.Equal(UInt256.Zero, left);
        Assert.Equal(UInt256.Zero, right);
        Assert.Equal(UInt256.MaxValue, negative);
        Assert.Equal(UInt256.Zero, positive);
        Assert.Equal(UInt256.Zero, leftInt);
    }

    [Fact]
    public void Shifts_RejectNegativeCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.ShiftLeft(UInt256.One, -1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.ShiftRight(UInt256.One, -1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.ArithmeticShiftRight(UInt256.MaxValue, int.MinValue, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => UInt256.One << -5);
    }

    [Theory]
    [InlineData("0x0", "0x01")]
    [InlineData("0x1", "0x02")]
    [InlineData("0x1e", "0x1f")]
    [InlineData("0x1f", "0x20")]
    [InlineData("0x7", "0x08")]
    [InlineData("0x8", "0x09")]
    public void Byte_CountsFromTheMostSignificantByte(string index, string expected)
    {
        var value = Hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        Assert.Equal(Hex(expected), UInt256.Byte(Hex(index), value));
    }

    [Fact]
    public void Byte_OutOfRangeIndexGivesZero()
    {
        Assert.Equal(UInt256.Zero, UInt256.Byte(new UInt256(32), UInt256.MaxValue));
        Assert.Equal(UInt256.Zero, UInt256.Byte(new UInt256(0, 1), UInt256.MaxValue));
        Assert.Equal(UInt256.Zero, UInt256.Byte(UInt256.MaxValue, UInt256.MaxValue));
    }

    [Fact]
    public void Operations_AllowTheOutputToAliasAnInput()
    {
        // The EVM writes results into its operand slots; every method must read its inputs first.
        var a = Hex("0xfedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
        var b = Hex("0x0123456789abcdef0123456789abcdef01");
        var m = Hex("0x1000000000000000000000000000000000000000000000000007");

        Assert.Equal(UInt256Reference.Add(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.Add(x, y, out r)));
        Assert.Equal(UInt256Reference.Subtract(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.Subtract(x, y, out r)));
        Assert.Equal(UInt256Reference.Multiply(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.Multiply(x, y, out r)));
        Assert.Equal(UInt256Reference.Multiply(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.MultiplyOverflow(x, y, out r)));
        Assert.Equal(UInt256Reference.Divide(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.Divide(x, y, out r)));
        Assert.Equal(UInt256Reference.Modulo(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.Modulo(x, y, out r)));
        Assert.Equal(UInt256Reference.SignedDivide(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.SignedDivide(x, y, out r)));
        Assert.Equal(UInt256Reference.SignedModulo(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.SignedModulo(x, y, out r)));
        Assert.Equal(UInt256Reference.Exp(a, b), Aliased(a, b, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.Exp(x, y, out r)));
        Assert.Equal(UInt256Reference.SignExtend(new UInt256(5), a), Aliased(new UInt256(5), a, static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.SignExtend(x, y, out r)));
        Assert.Equal(UInt256Reference.ShiftLeft(a, 70), Aliased(a, new UInt256(70), static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.ShiftLeft(x, y, out r)));
        Assert.Equal(UInt256Reference.ArithmeticShiftRight(a, 70), Aliased(a, new UInt256(70), static (in UInt256 x, in UInt256 y, out UInt256 r) => UInt256.ArithmeticShiftRight(x, y, out r)));

        UInt256 slot = a;
        UInt256.AddMod(slot, b, m, out slot);
        Assert.Equal(UInt256Reference.AddMod(a, b, m), slot);
        slot = m;
        UInt256.MulMod(a, b, slot, out slot);
        Assert.Equal(UInt256Reference.MulMod(a, b, m), slot);
        slot = a;
        UInt256.DivideWithRemainder(slot, b, out slot, out var remainder);
        Assert.Equal(UInt256Reference.Divide(a, b), slot);
        Assert.Equal(UInt256Reference.Modulo(a, b), remainder);
    }

    private delegate void BinaryOperation(in UInt256 x, in UInt256 y, out UInt256 result);

    // Runs the operation twice, with the result aliasing the first and then the second operand; both must agree.
    private static UInt256 Aliased(UInt256 a, UInt256 b, BinaryOperation operation)
    {
        UInt256 first = a;
        operation(first, b, out first);
        UInt256 second = b;
        operation(a, second, out second);
        Assert.Equal(first, second);
        return first;
    }

    [Fact]
    public void Divide_ExhaustiveOverEdgeLimbPatterns_MatchesBigInteger()
    {
        // Every value made of the limbs {0, 1, 2^63, 2^64 - 1} divided by every other: these are the patterns
        // where Knuth's quotient estimate needs its corrections.
        ulong[] limbs = [0, 1, 0x8000_0000_0000_0000, ulong.MaxValue];
        var values = new List<UInt256>();
        foreach (ulong l0 in limbs)
        {
            foreach (ulong l1 in limbs)
            {
                foreach (ulong l2 in limbs)
                {
                    foreach (ulong l3 in limbs)
                    {
                        values.Add(new UInt256(l0, l1, l2, l3));
                    }
                }
            }
        }

        int failures = 0;
        foreach (var a in values)
        {
            foreach (var b in values)
            {
                UInt256.DivideWithRemainder(a, b, out var q, out var r);
                if (q != UInt256Reference.Divide(a, b) || r != UInt256Reference.Modulo(a, b))
                {
                    failures++;
                }
            }
        }

        Assert.Equal(0, failures);
    }

    [Fact]
    public void MulMod_ExhaustiveOverEdgeLimbPatterns_MatchesBigInteger()
    {
        ulong[] limbs = [0, 1, 0x8000_0000_0000_0000, ulong.MaxValue];
        var values = new List<UInt256>();
        foreach (ulong l0 in limbs)
        {
            foreach (ulong l1 in limbs)
            {
                foreach (ulong l2 in limbs)
                {
                    foreach (ulong l3 in limbs)
                    {
                        values.Add(new UInt256(l0, l1, l2, l3));
                    }
                }
            }
        }

        // Moduli from limbs {0, 2^63 - 1, 2^64 - 1}, so both normalisation shifts (0 and 1) occur.
        var moduli = new List<UInt256>();
        ulong[] modulusLimbs = [0, 0x7FFF_FFFF_FFFF_FFFF, ulong.MaxValue];
        foreach (ulong l0 in modulusLimbs)
        {
            foreach (ulong l1 in modulusLimbs)
            {
                foreach (ulong l2 in modulusLimbs)
                {
                    foreach (ulong l3 in modulusLimbs)
                    {
                        moduli.Add(new UInt256(l0, l1, l2, l3));
                    }
                }
            }
        }

        int failures = 0;
        foreach (var a in values)
        {
            foreach (var m in moduli)
            {
                UInt256.MulMod(a, UInt256.MaxValue, m, out var product);
                UInt256.AddMod(a, UInt256.MaxValue, m, out var sum);
                if (product != UInt256Reference.MulMod(a, UInt256.MaxValue, m) || sum != UInt256Reference.AddMod(a, UInt256.MaxValue, m))
                {
                    failures++;
                }
            }
        }

        Assert.Equal(0, failures);
    }
}
