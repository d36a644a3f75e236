using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Tests.Transactions;

public sealed class TransactionTests
{
    private const ulong ChainId = 1337;

    private static readonly Address Recipient = Address.Parse("0x3535353535353535353535353535353535353535");

    private static TransactionBuilder Transfer(TxType type, ulong? chainId = ChainId) => new()
    {
        Type = type,
        ChainId = chainId,
        Nonce = 7,
        MaxPriorityFeePerGas = 2,
        MaxFeePerGas = 10,
        GasLimit = 30000,
        To = Recipient,
        Value = 1000,
        Data = new byte[] { 1, 0, 2 },
        AccessList = [new AccessListEntry(Recipient, [Hash256.Zero])],
    };

    [Fact]
    public void Sign_MatchesTheEip155SpecificationExample()
    {
        // EIP-155's worked example: private key 0x46...46, nonce 9, 20 gwei, 21000 gas, 1 ether to 0x35...35, chain 1.
        ICryptoSuite suite = CryptoSuites.Standard;
        PrivateKey key = suite.ImportPrivateKey(Hex.Decode("0x4646464646464646464646464646464646464646464646464646464646464646"));
        Transaction transaction = new TransactionBuilder
        {
            Type = TxType.Legacy,
            ChainId = 1,
            Nonce = 9,
            MaxFeePerGas = 20_000_000_000,
            GasLimit = 21000,
            To = Recipient,
            Value = UInt256.Parse("1000000000000000000"),
        }.Sign(suite, key);

        Assert.Equal("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080", Hex.Encode(transaction.GetSigningPayload()));
        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            Hex.Encode(transaction.Encoded));
        Assert.Equal(
            Keccak256.Hash(Hex.Decode("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080")),
            Hash256.Parse("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"));
    }

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Native)]
    public void StandardSuite_EveryEnvelopeRoundTripsAndRecoversTheSigner(TxType type)
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        PrivateKey key = suite.GeneratePrivateKey();
        Transaction signed = Transfer(type).Sign(suite, key);
        var validator = new TransactionValidator(suite, ChainId);

        TxValidation outcome = validator.DecodeAndValidate(signed.Encoded, out VerifiedTransaction? verified);

        Assert.True(outcome.IsValid, outcome.ToString());
        Assert.Equal(suite.ToAddress(suite.DerivePublicKey(key)), verified!.Sender);
        Assert.Equal(Keccak256.Hash(signed.Encoded), verified.Hash);
        Assert.Equal(type, verified.Transaction.Type);
        Assert.Equal(signed.Encoded.ToArray(), verified.Transaction.Encode());
        Assert.Equal(7UL, verified.Transaction.Nonce);
        Assert.Equal(Recipient, verified.Transaction.To);
        Assert.Equal(new byte[] { 1, 0, 2 }, verified.Transaction.Data.ToArray());
    }

    [Fact]
    public void NationalSuite_NativeEnvelopeCarriesSm2SignatureAndPublicKey()
    {
        ICryptoSuite suite = CryptoSuites.National;
        PrivateKey key = suite.GeneratePrivateKey();
        PublicKey publicKey = suite.DerivePublicKey(key);
        Transaction signed = Transfer(TxType.Native).Sign(suite, key);
        var validator = new TransactionValidator(suite, ChainId);

        Assert.True(validator.DecodeAndValidate(signed.Encoded, out VerifiedTransaction? verified).IsValid);

        Assert.Equal(128, signed.Signature.Length);
        Assert.Equal(publicKey.Bytes.ToArray(), signed.Signature[64..].ToArray());
        Assert.True(suite.Verify(publicKey, signed.GetSigningPayload(), signed.Signature));
        Assert.Equal(suite.ToAddress(publicKey), verified!.Sender);
        Assert.Equal(suite.Hash(signed.Encoded), verified.Hash);
        Assert.Equal(0x54, signed.Encoded[0]);
    }

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    public void NationalSuite_RejectsEthereumEnvelopes(TxType type)
    {
        Transaction signed = Transfer(type).Sign(CryptoSuites.Standard, CryptoSuites.Standard.GeneratePrivateKey());
        var validator = new TransactionValidator(CryptoSuites.National, ChainId);

        TxValidation outcome = validator.DecodeAndValidate(signed.Encoded, out _);

        Assert.Equal(TxError.SuiteMismatch, outcome.Error);
        Assert.Contains("0x54", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NationalSuite_RejectsTamperedSignatureAndSwappedPublicKey()
    {
        ICryptoSuite suite = CryptoSuites.National;
        Transaction signed = Transfer(TxType.Native).Sign(suite, suite.GeneratePrivateKey());
        var validator = new TransactionValidator(suite, ChainId);
        byte[] otherKey = suite.DerivePublicKey(suite.GeneratePrivateKey()).Bytes.ToArray();

        byte[] swapped = Resign(signed, signature => otherKey.CopyTo(signature, 64));
        byte[] flipped = Resign(signed, signature => signature[5] ^= 1);

        Assert.Equal(TxError.InvalidSignature, validator.DecodeAndValidate(swapped, out _).Error);
        Assert.Equal(TxError.InvalidSignature, validator.DecodeAndValidate(flipped, out _).Error);
    }

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Native)]
    public void Validate_RejectsTransactionForAnotherChain(TxType type)
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        Transaction signed = Transfer(type, chainId: 5).Sign(suite, suite.GeneratePrivateKey());

        TxValidation outcome = new TransactionValidator(suite, ChainId).DecodeAndValidate(signed.Encoded, out _);

        Assert.Equal(TxError.InvalidChainId, outcome.Error);
        Assert.Equal("invalid chain id 5 (this chain is 1337)", outcome.Message);
    }

    [Fact]
    public void Validate_RefusesPreEip155LegacyWhenReplayProtectionIsRequired()
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        Transaction signed = Transfer(TxType.Legacy, chainId: null).Sign(suite, suite.GeneratePrivateKey());

        Assert.Equal(TxError.NotReplayProtected, new TransactionValidator(suite, ChainId).DecodeAndValidate(signed.Encoded, out _).Error);
        Assert.True(new TransactionValidator(suite, ChainId, requireReplayProtection: false).DecodeAndValidate(signed.Encoded, out _).IsValid);
    }

    [Fact]
    public void Decode_RejectsBlobTransactionsWithAClearReason()
    {
        TxValidation outcome = TransactionDecoder.TryDecode(Hex.Decode("0x03c0"), out _);

        Assert.Equal(TxError.TypeNotSupported, outcome.Error);
        Assert.Contains("blob", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsHighSInNativeStandardEnvelope()
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        Transaction signed = Transfer(TxType.Native).Sign(suite, suite.GeneratePrivateKey());
        var n = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

        // (r, n - s, v ^ 1) is the same signature's malleated twin: valid ECDSA, refused by EIP-2.
        byte[] malleated = Resign(signed, signature =>
        {
            (n - UInt256.FromBigEndian(signature.AsSpan(32, 32))).WriteBigEndian(signature.AsSpan(32, 32));
            signature[64] ^= 1;
        });

        TxValidation outcome = new TransactionValidator(suite, ChainId).DecodeAndValidate(malleated, out _);
        Assert.Equal(TxError.InvalidSignature, outcome.Error);
        Assert.Contains("EIP-2", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsInitCodeOverTheEip3860Limit()
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        Transaction signed = new TransactionBuilder
        {
            ChainId = ChainId,
            GasLimit = 10_000_000,
            Data = new byte[IntrinsicGas.MaxInitCodeSize + 1],
        }.Sign(suite, suite.GeneratePrivateKey());

        Assert.Equal(TxError.InitCodeTooLarge, new TransactionValidator(suite, ChainId).Validate(signed, out _).Error);
    }

    [Fact]
    public void IntrinsicGas_CountsDataAccessListAndInitCodeWords()
    {
        Transaction call = Transfer(TxType.DynamicFee).Sign(CryptoSuites.Standard, CryptoSuites.Standard.GeneratePrivateKey());
        Transaction create = new TransactionBuilder { ChainId = ChainId, To = null, Data = new byte[33], GasLimit = 100_000 }
            .Sign(CryptoSuites.Standard, CryptoSuites.Standard.GeneratePrivateKey());

        // 21000 + 2 non-zero * 16 + 1 zero * 4 + 2400 + 1900
        Assert.Equal(21000UL + 32 + 4 + 2400 + 1900, IntrinsicGas.Compute(call));

        // 21000 + 32000 + 33 zeros * 4 + 2 words * 2
        Assert.Equal(21000UL + 32000 + 132 + 4, IntrinsicGas.Compute(create));
    }

    [Fact]
    public void Decode_RandomBytesNeverThrow()
    {
        var validator = new TransactionValidator(CryptoSuites.Standard, ChainId);
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            TxValidation outcome = validator.DecodeAndValidate(bytes, out VerifiedTransaction? verified);
            return outcome.IsValid == (verified is not null) && (outcome.IsValid || outcome.Message.Length > 0);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(TxType.Legacy, "standard")]
    [InlineData(TxType.AccessList, "standard")]
    [InlineData(TxType.DynamicFee, "standard")]
    [InlineData(TxType.Native, "standard")]
    [InlineData(TxType.Native, "national")]
    public void Decode_MutationsOfValidEncodingsNeverThrow(TxType type, string suiteName)
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        byte[] valid = Transfer(type).Sign(suite, suite.GeneratePrivateKey()).Encode();
        var validator = new TransactionValidator(suite, ChainId);
        Arbitrary<(int Position, byte Value, int Cut)> mutations = ArbMap.Default.ArbFor<(int, byte, int)>();

        Prop.ForAll(mutations, mutation =>
        {
            byte[] copy = (byte[])valid.Clone();
            copy[(int)((uint)mutation.Position % (uint)copy.Length)] = mutation.Value;
            int cut = (int)((uint)mutation.Cut % (uint)(copy.Length + 1));
            TxValidation changed = validator.DecodeAndValidate(copy, out _);
            TxValidation truncated = validator.DecodeAndValidate(copy.AsSpan(0, cut), out _);
            return (changed.IsValid || changed.Error != TxError.None) && (cut == copy.Length || !truncated.IsValid);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Decode_HugeInputIsARejectionNotACrash()
    {
        byte[] huge = new byte[10 * 1024 * 1024];
        huge[0] = 0xf9;
        Assert.Equal(TxError.MalformedEncoding, TransactionDecoder.TryDecode(huge, out _).Error);
        huge[0] = 0x02;
        Assert.Equal(TxError.MalformedEncoding, TransactionDecoder.TryDecode(huge, out _).Error);
    }

    // Rebuilds a native transaction with its signature bytes changed.
    private static byte[] Resign(Transaction signed, Action<byte[]> change)
    {
        var rebuilt = new TransactionBuilder
        {
            Type = signed.Type,
            ChainId = signed.ChainId,
            Nonce = signed.Nonce,
            MaxPriorityFeePerGas = signed.MaxPriorityFeePerGas,
            MaxFeePerGas = signed.MaxFeePerGas,
            GasLimit = signed.GasLimit,
            To = signed.To,
            Value = signed.Value,
            Data = signed.Data,
            AccessList = signed.AccessList,
        };
        byte[] signature = signed.Signature.ToArray();
        change(signature);
        return TestTransactions.WithSignature(rebuilt, signature);
    }
}
