using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Cli.Bench;

/// <summary>Signs benchmark transactions in the chain's suite: EIP-1559 with secp256k1, the native envelope with SM2.</summary>
internal sealed class BenchSigner
{
    /// <summary>Creates a signer for one chain.</summary>
    public BenchSigner(ICryptoSuite suite, ulong chainId, UInt256 gasPrice)
    {
        Suite = suite;
        ChainId = chainId;
        GasPrice = gasPrice;
        Type = suite.Curve == CurveKind.Secp256k1 ? TxType.DynamicFee : TxType.Native;
    }

    /// <summary>The suite.</summary>
    public ICryptoSuite Suite { get; }

    /// <summary>The chain id every signature commits to.</summary>
    public ulong ChainId { get; }

    /// <summary>The fee cap and priority fee per gas (the node's <c>eth_gasPrice</c>).</summary>
    public UInt256 GasPrice { get; }

    /// <summary>The envelope.</summary>
    public TxType Type { get; }

    /// <summary>Signs one transaction and returns its hash and encoding.</summary>
    public (Hash256 Hash, byte[] Raw) Sign(PrivateKey key, ulong nonce, Address? to, UInt256 value, byte[] data, ulong gas)
    {
        Transaction transaction = new TransactionBuilder
        {
            Type = Type,
            ChainId = ChainId,
            Nonce = nonce,
            MaxFeePerGas = GasPrice,
            MaxPriorityFeePerGas = GasPrice,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
        }.Sign(Suite, key);
        return (transaction.ComputeHash(Suite), transaction.Encode());
    }
}
