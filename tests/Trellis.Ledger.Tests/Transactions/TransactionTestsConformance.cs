using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;
using Xunit.Abstractions;

namespace Trellis.Ledger.Tests.Transactions;

/// <summary>
/// ethereum/tests TransactionTests: each file's Cancun result (or, for the older files without one, the latest fork
/// they list) is either a rejection or the expected hash, sender and intrinsic gas. Chain id 1, as the fillers use.
/// </summary>
public sealed class TransactionTestsConformance(ITestOutputHelper output)
{
    // Newest first: the rules Trellis follows are Cancun's, and later forks only add rejections.
    private static readonly string[] Forks = ["Cancun", "Shanghai", "Paris", "London", "Berlin", "Istanbul"];

    // Which of our reason codes fit each of the suite's exception names. Where one transaction breaks several rules
    // (e.g. an all-zero transaction has no signature and no gas), the rule we check first may be the one reported.
    private static readonly TxError[] Encoding = [TxError.MalformedEncoding];

    private static readonly TxError[] Signature = [TxError.InvalidSignature, TxError.InvalidChainId, TxError.MalformedEncoding, TxError.IntrinsicGasTooLow];

    private static readonly TransactionValidator Validator = new(CryptoSuites.Standard, 1, requireReplayProtection: false);

    public static TheoryData<string> Files()
    {
        string root = SharedPaths.Conformance("ethereum-tests", "TransactionTests");
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    [Fact]
    public void Files_AllTwoHundredTenArePresent() => Assert.Equal(210, Files().Count);

    [Theory]
    [MemberData(nameof(Files))]
    public void TransactionTest_MatchesExpectedResult(string file)
    {
        string path = SharedPaths.Conformance("ethereum-tests", "TransactionTests", file);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonProperty test in document.RootElement.EnumerateObject())
        {
            JsonElement results = test.Value.GetProperty("result");
            string fork = Forks.First(f => results.TryGetProperty(f, out _));
            JsonElement expected = results.GetProperty(fork);
            byte[] encoded = Hex.Decode(test.Value.GetProperty("txbytes").GetString()!);

            TxValidation outcome = Validator.DecodeAndValidate(encoded, out VerifiedTransaction? verified);
            if (expected.TryGetProperty("exception", out JsonElement exception))
            {
                output.WriteLine($"{test.Name} ({fork}): expected {exception.GetString()}; ours {outcome}");
                Assert.False(outcome.IsValid, $"{test.Name}: expected {exception.GetString()} but the transaction was accepted");
                TxError[] acceptable = AcceptableErrors(exception.GetString()!);
                Assert.True(Array.IndexOf(acceptable, outcome.Error) >= 0, $"{test.Name}: expected {exception.GetString()} but we reported {outcome}");
                Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
                continue;
            }

            Assert.True(outcome.IsValid, $"{test.Name}: expected valid but got {outcome}");
            Assert.Equal(Hash256.Parse(expected.GetProperty("hash").GetString()!), verified!.Hash);
            Assert.Equal(Address.Parse(expected.GetProperty("sender").GetString()!), verified.Sender);
            Assert.Equal(Convert.ToUInt64(expected.GetProperty("intrinsicGas").GetString()!, 16), verified.IntrinsicGas);

            // The decoded fields encode back to the same bytes (the decoder accepts canonical encodings only).
            Assert.Equal(encoded, verified.Transaction.Encode());
        }
    }

    private static TxError[] AcceptableErrors(string exception)
    {
        string name = exception.Replace("TransactionException.", string.Empty, StringComparison.Ordinal);
        return name switch
        {
            _ when name.StartsWith("RLP_", StringComparison.Ordinal) => Encoding,
            "ADDRESS_TOO_SHORT" or "ADDRESS_TOO_LONG" or "NONCE_OVERFLOW" or "GASLIMIT_OVERFLOW" or "GASPRICE_OVERFLOW"
                or "PRIORITY_OVERFLOW" or "VALUE_OVERFLOW" => Encoding,
            "TYPE_NOT_SUPPORTED" => [TxError.TypeNotSupported, TxError.MalformedEncoding],
            "INVALID_CHAINID" => [TxError.InvalidChainId],
            "INVALID_SIGNATURE_VRS" => Signature,
            "EC_RECOVERY_FAIL" => [TxError.InvalidSignature],
            "NONCE_TOO_BIG" => [TxError.NonceTooBig],
            "INTRINSIC_GAS_TOO_LOW" => [TxError.IntrinsicGasTooLow],
            "INITCODE_SIZE_EXCEEDED" => [TxError.InitCodeTooLarge],
            "GASLIMIT_PRICE_PRODUCT_OVERFLOW" => [TxError.FeeOverflow],
            "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2" => [TxError.PriorityFeeAboveMaxFee],
            _ => throw new InvalidOperationException($"no mapping for the suite's exception {exception}"),
        };
    }
}
