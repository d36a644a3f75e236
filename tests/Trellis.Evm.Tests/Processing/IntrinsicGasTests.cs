using System.Globalization;
using System.Text.Json;
using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Evm.Processing;
using Trellis.Evm.Tests.StateTests;

namespace Trellis.Evm.Tests.Processing;

public class IntrinsicGasTests
{
    private static readonly Address s_sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address s_to = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");

    [Fact]
    public void Compute_PlainCallCosts21000() => Assert.Equal(21_000, IntrinsicGas.Compute(Call([])));

    [Fact]
    public void Compute_EmptyCreationCosts53000() => Assert.Equal(53_000, IntrinsicGas.Compute(Create([])));

    [Fact]
    public void Compute_ChargesFourPerZeroAndSixteenPerNonZeroByte() =>
        Assert.Equal(21_000 + (3 * 4) + (2 * 16), IntrinsicGas.Compute(Call([0, 1, 0, 0xff, 0])));

    [Fact]
    public void Compute_ChargesTwoPerInitCodeWordRoundedUp()
    {
        // 33 non-zero bytes: 33 * 16 for the data, 2 words * 2 for EIP-3860.
        var initCode = Enumerable.Repeat((byte)0x60, 33).ToArray();
        Assert.Equal(53_000 + (33 * 16) + (2 * 2), IntrinsicGas.Compute(Create(initCode)));
    }

    [Fact]
    public void Compute_ChargesAccessListAddressesAndKeys()
    {
        var tx = Call([]) with
        {
            Type = EvmTransaction.AccessListType,
            AccessList = [new AccessListEntry(s_to, [UInt256.One, new UInt256(2)]), new AccessListEntry(s_sender, [])],
        };
        Assert.Equal(21_000 + (2 * 2_400) + (2 * 1_900), IntrinsicGas.Compute(tx));
    }

    /// <summary>
    /// Every valid transaction of ethereum/tests TransactionTests: our intrinsic gas equals the Cancun
    /// <c>intrinsicGas</c> the suite publishes (decoding only the fields the cost depends on: to, data, access list).
    /// </summary>
    [Fact]
    public void Compute_MatchesEveryCancunIntrinsicGasOfTransactionTests()
    {
        var root = StateTestPaths.Conformance("ethereum-tests", "TransactionTests");
        int checkedCount = 0;
        var mismatches = new List<string>();
        foreach (var file in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var test in document.RootElement.EnumerateObject())
            {
                if (!test.Value.GetProperty("result").TryGetProperty("Cancun", out var cancun) ||
                    cancun.TryGetProperty("exception", out _))
                {
                    continue;
                }

                long expected = long.Parse(cancun.GetProperty("intrinsicGas").GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var tx = DecodeForGas(Hex.Decode(test.Value.GetProperty("txbytes").GetString()!));
                long actual = IntrinsicGas.Compute(tx);
                checkedCount++;
                if (actual != expected)
                {
                    mismatches.Add($"{Path.GetFileName(file)} {test.Name}: expected {expected} got {actual}");
                }
            }
        }

        Assert.True(checkedCount >= 50, $"only {checkedCount} transactions checked");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    private static EvmTransaction Call(byte[] data) => EvmTransaction.Legacy(s_sender, s_to, 0, 100_000, UInt256.Zero, data, UInt256.One);

    private static EvmTransaction Create(byte[] data) => EvmTransaction.Legacy(s_sender, null, 0, 100_000, UInt256.Zero, data, UInt256.One);

    /// <summary>Reads to, data and the access list of a legacy, EIP-2930 or EIP-1559 transaction encoding.</summary>
    private static EvmTransaction DecodeForGas(byte[] encoded)
    {
        byte type = encoded[0] < 0xc0 ? encoded[0] : (byte)0;
        var fields = ((RlpList)RlpItem.Decode(type == 0 ? encoded : encoded.AsSpan(1))).Items;
        // Positions of to, data and access list in each type's field list (EIP-155, EIP-2930, EIP-1559).
        (int to, int data, int accessList) = type switch
        {
            0 => (3, 5, -1),
            1 => (4, 6, 7),
            2 => (5, 7, 8),
            _ => throw new InvalidOperationException($"transaction type {type} is not expected in these tests"),
        };
        var toBytes = ((RlpString)fields[to]).Value;
        var entries = new List<AccessListEntry>();
        if (accessList >= 0)
        {
            foreach (var item in ((RlpList)fields[accessList]).Items)
            {
                var pair = ((RlpList)item).Items;
                var keys = ((RlpList)pair[1]).Items.Select(k => UInt256.FromBigEndian(((RlpString)k).Value)).ToList();
                entries.Add(new AccessListEntry(new Address(((RlpString)pair[0]).Value), keys));
            }
        }

        return new EvmTransaction(
            s_sender,
            toBytes.Length == 0 ? null : new Address(toBytes),
            0,
            0,
            UInt256.Zero,
            ((RlpString)fields[data]).Value.ToArray(),
            UInt256.Zero,
            null,
            null,
            entries,
            [],
            null,
            type);
    }
}
