using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Tests.Execution;

/// <summary>A key pair with a fixed private key (n as a 32-byte big-endian scalar) that signs verified transactions.</summary>
internal sealed class TestAccount
{
    private readonly ICryptoSuite _suite;

    public TestAccount(ICryptoSuite suite, int seed)
    {
        _suite = suite;
        var scalar = new byte[32];
        scalar[0] = 0x11;
        scalar[31] = (byte)seed;
        Key = suite.ImportPrivateKey(scalar);
        Address = suite.ToAddress(suite.DerivePublicKey(Key));
    }

    public PrivateKey Key { get; }

    public Address Address { get; }

    public VerifiedTransaction Sign(TransactionBuilder builder, ulong chainId = TestChain.ChainId)
    {
        Transaction transaction = builder.Sign(_suite, Key);
        TxValidation validation = new TransactionValidator(_suite, chainId).Validate(transaction, out VerifiedTransaction? verified);
        Assert.True(validation.IsValid, validation.ToString());
        return verified!;
    }

    public VerifiedTransaction Transfer(ulong nonce, Address to, UInt256 value, UInt256 gasPrice = default, TxType type = TxType.Native, ulong gasLimit = 21_000, ulong chainId = TestChain.ChainId) =>
        Sign(
            new TransactionBuilder
            {
                Type = type,
                ChainId = chainId,
                Nonce = nonce,
                MaxFeePerGas = gasPrice,
                MaxPriorityFeePerGas = gasPrice,
                GasLimit = gasLimit,
                To = to,
                Value = value,
            },
            chainId);

    public VerifiedTransaction Call(ulong nonce, Address? to, byte[] data, ulong gasLimit = 1_000_000, TxType type = TxType.DynamicFee) =>
        Sign(new TransactionBuilder
        {
            Type = type,
            ChainId = TestChain.ChainId,
            Nonce = nonce,
            GasLimit = gasLimit,
            To = to,
            Data = data,
        });
}
