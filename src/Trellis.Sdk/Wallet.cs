using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Sdk;

/// <summary>
/// A key pair in one crypto suite and its account address. Signs transactions offline; pair it with a
/// <see cref="Signer"/> to send them. The standard suite signs Ethereum typed transactions and the native envelope;
/// the national suite (SM2) signs only the native envelope.
/// </summary>
public sealed class Wallet
{
    /// <summary>Wraps an existing private key of <paramref name="suite"/>.</summary>
    /// <exception cref="ArgumentException">The key belongs to the other suite's curve.</exception>
    public Wallet(ICryptoSuite suite, PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Curve != suite.Curve)
        {
            throw new ArgumentException($"a {privateKey.Curve} key cannot sign in the {suite.Name} suite ({suite.Curve})", nameof(privateKey));
        }

        Suite = suite;
        PrivateKey = privateKey;
        PublicKey = suite.DerivePublicKey(privateKey);
        Address = suite.ToAddress(PublicKey);
    }

    /// <summary>The crypto suite the key signs in.</summary>
    public ICryptoSuite Suite { get; }

    /// <summary>The private key.</summary>
    public PrivateKey PrivateKey { get; }

    /// <summary>The public key.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The account address (last 20 bytes of the suite hash of the public key).</summary>
    public Address Address { get; }

    /// <summary>A wallet with a freshly generated key.</summary>
    public static Wallet Create(ICryptoSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return new Wallet(suite, suite.GeneratePrivateKey());
    }

    /// <summary>A wallet from a 32-byte private key in hex (0x prefix optional).</summary>
    /// <exception cref="FormatException">The text is not hex.</exception>
    /// <exception cref="ArgumentException">The bytes are not a valid key for the suite.</exception>
    public static Wallet FromHex(ICryptoSuite suite, string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        string text = privateKeyHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKeyHex : "0x" + privateKeyHex;
        return new Wallet(suite, suite.ImportPrivateKey(Hex.Decode(text)));
    }

    /// <summary>Signs the transaction described by <paramref name="builder"/> in this wallet's suite.</summary>
    /// <exception cref="InvalidOperationException">An Ethereum envelope in the national suite, or a typed envelope without a chain id.</exception>
    public Transaction Sign(TransactionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Sign(Suite, PrivateKey);
    }

    /// <summary>The wallet's suite and address (never the key).</summary>
    public override string ToString() => $"Wallet({Suite.Name}, {Address})";
}
