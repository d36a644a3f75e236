using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;

namespace Trellis.Evm.Tests;

public class ArithmeticTests
{
    private static readonly BigInteger Modulus = BigInteger.One << 256;

    [Fact]
    public void Add_ChargesThreeGasPerOpcodeAndPushes()
    {
        var result = new EvmHarness().Run("PUSH1 0x02 PUSH1 0x03 ADD STOP");
        Assert.True(result.Success);
        Assert.Equal(9, EvmHarness.Used(result));
    }

    [Theory]
    [InlineData("ADD", 2, 3, 5)]
    [InlineData("SUB", 3, 10, 7)] // a - b with a on top: PUSH b, PUSH a
    [InlineData("DIV", 3, 10, 3)]
    [InlineData("DIV", 0, 10, 0)]
    [InlineData("MOD", 3, 10, 1)]
    [InlineData("MOD", 0, 10, 0)]
    [InlineData("LT", 10, 3, 1)]
    [InlineData("GT", 10, 3, 0)]
    [InlineData("EQ", 4, 4, 1)]
    [InlineData("EXP", 10, 2, 1024)]
    [InlineData("BYTE", 0x1234, 30, 0x12)]
    [InlineData("SHL", 1, 4, 16)]
    [InlineData("SHR", 16, 4, 1)]
    [InlineData("SIGNEXTEND", 0x7f, 0, 0x7f)]
    public void BinaryOperation_UsesTopOfStackAsFirstOperand(string mnemonic, ulong second, ulong first, ulong expected)
    {
        var result = new EvmHarness().Run($"PUSH32 {second} PUSH32 {first} {mnemonic}" + EvmHarness.ReturnTop);
        Assert.True(result.Success, result.Error);
        Assert.Equal(new UInt256(expected), EvmHarness.Word(result));
    }

    [Theory]
    [InlineData("ADD", 3)]
    [InlineData("MUL", 5)]
    [InlineData("SUB", 3)]
    [InlineData("DIV", 5)]
    [InlineData("SDIV", 5)]
    [InlineData("MOD", 5)]
    [InlineData("SMOD", 5)]
    [InlineData("SIGNEXTEND", 5)]
    [InlineData("LT", 3)]
    [InlineData("SGT", 3)]
    [InlineData("AND", 3)]
    [InlineData("BYTE", 3)]
    [InlineData("SAR", 3)]
    public void BinaryOperation_ChargesYellowPaperGas(string mnemonic, long cost)
    {
        var result = new EvmHarness().Run($"PUSH1 7 PUSH1 9 {mnemonic} STOP");
        Assert.Equal(3 + 3 + cost, EvmHarness.Used(result));
    }

    [Fact]
    public void AddModAndMulMod_ChargeEightAndUseFullPrecision()
    {
        var harness = new EvmHarness();
        var max = "0x" + new string('f', 64);
        var add = harness.Run($"PUSH1 10 PUSH32 {max} PUSH32 {max} ADDMOD" + EvmHarness.ReturnTop);
        Assert.Equal((((Modulus - 1) * 2) % 10), EvmHarness.Word(add).ToBigInteger());

        var gasOnly = new EvmHarness().Run("PUSH1 10 PUSH1 3 PUSH1 4 MULMOD STOP");
        Assert.Equal(3 + 3 + 3 + 8, EvmHarness.Used(gasOnly));
    }

    [Fact]
    public void Exp_ChargesFiftyPerExponentByte()
    {
        // Exponent 0x0100 has two significant bytes: 10 + 2 * 50 (yellow paper, G_expbyte).
        var result = new EvmHarness().Run("PUSH2 0x0100 PUSH1 2 EXP STOP");
        Assert.Equal(3 + 3 + 10 + 100, EvmHarness.Used(result));

        var zeroExponent = new EvmHarness().Run("PUSH0 PUSH1 2 EXP STOP");
        Assert.Equal(2 + 3 + 10, EvmHarness.Used(zeroExponent));
    }

    [Fact]
    public void BinaryOperations_MatchBigIntegerDefinitions()
    {
        var word = ArbMap.Default.GeneratorFor<byte[]>()
            .Select(bytes => bytes.Length >= 32 ? bytes[..32] : bytes)
            .Select(bytes => UInt256.FromBigEndian(bytes));
        var pair = Gen.Zip(word, word).ToArbitrary();
        Prop.ForAll(pair, p =>
        {
            var (a, b) = p;
            foreach (var (mnemonic, reference) in References)
            {
                var result = new EvmHarness().Run($"PUSH32 {b.ToHexString()} PUSH32 {a.ToHexString()} {mnemonic}" + EvmHarness.ReturnTop);
                var expected = UInt256.FromBigInteger(reference(a.ToBigInteger(), b.ToBigInteger()));
                if (EvmHarness.Word(result) != expected)
                {
                    throw new InvalidOperationException($"{mnemonic}({a}, {b}) gave {EvmHarness.Word(result)}, expected {expected}");
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    private static BigInteger Signed(BigInteger x) => x >= (Modulus >> 1) ? x - Modulus : x;

    private static BigInteger Wrap(BigInteger x) => ((x % Modulus) + Modulus) % Modulus;

    private static readonly (string Mnemonic, Func<BigInteger, BigInteger, BigInteger> Reference)[] References =
    [
        ("ADD", (a, b) => Wrap(a + b)),
        ("MUL", (a, b) => Wrap(a * b)),
        ("SUB", (a, b) => Wrap(a - b)),
        ("DIV", (a, b) => b.IsZero ? 0 : a / b),
        ("MOD", (a, b) => b.IsZero ? 0 : a % b),
        ("SDIV", (a, b) => b.IsZero ? 0 : Wrap(BigInteger.Divide(Signed(a), Signed(b)))),
        ("SMOD", (a, b) => b.IsZero ? 0 : Wrap(BigInteger.Remainder(Signed(a), Signed(b)))),
        ("LT", (a, b) => a < b ? 1 : 0),
        ("GT", (a, b) => a > b ? 1 : 0),
        ("SLT", (a, b) => Signed(a) < Signed(b) ? 1 : 0),
        ("SGT", (a, b) => Signed(a) > Signed(b) ? 1 : 0),
        ("EQ", (a, b) => a == b ? 1 : 0),
        ("AND", (a, b) => a & b),
        ("OR", (a, b) => a | b),
        ("XOR", (a, b) => a ^ b),
        ("SHL", (a, b) => a >= 256 ? 0 : Wrap(b << (int)a)),
        ("SHR", (a, b) => a >= 256 ? 0 : b >> (int)a),
        ("SAR", (a, b) => Wrap(Signed(b) >> (int)BigInteger.Min(a, 256))),
        ("BYTE", (a, b) => a >= 32 ? 0 : (b >> (int)(8 * (31 - a))) & 0xff),
    ];

    [Fact]
    public void UnaryOperations_MatchDefinitions()
    {
        var h = new EvmHarness();
        Assert.Equal(UInt256.One, EvmHarness.Word(h.Run("PUSH0 ISZERO" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.MaxValue - new UInt256(5), EvmHarness.Word(new EvmHarness().Run("PUSH1 5 NOT" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.MaxValue, EvmHarness.Word(new EvmHarness().Run("PUSH1 0xff PUSH0 SIGNEXTEND" + EvmHarness.ReturnTop)));
    }
}
