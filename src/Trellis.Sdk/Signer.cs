using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;
using Trellis.Sdk.Rpc;

namespace Trellis.Sdk;

/// <summary>
/// Sends transactions from a <see cref="Wallet"/> through a <see cref="TrellisClient"/>: fetches the chain id once,
/// manages the nonce (starting from the node's pending count, then counting locally; refetched after a failed send),
/// fills the gas limit from <c>eth_estimateGas</c> plus headroom, and signs with the ledger's
/// <see cref="TransactionBuilder"/>. Sends from one signer are serialised so nonces reach the node in order.
/// </summary>
public sealed class Signer : IDisposable
{
    // Guards _nextNonce and orders sends: a nonce is taken and its transaction submitted under the lock.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ulong? _nextNonce;
    private ulong? _chainId;

    /// <summary>Creates a signer.</summary>
    public Signer(TrellisClient client, Wallet wallet, SignerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(wallet);
        Client = client;
        Wallet = wallet;
        Options = options ?? new SignerOptions();
        TransactionType = Options.TransactionType ?? (wallet.Suite.Curve == CurveKind.Secp256k1 ? TxType.DynamicFee : TxType.Native);
        if (TransactionType != TxType.Native && wallet.Suite.Curve != CurveKind.Secp256k1)
        {
            throw new ArgumentException($"the {wallet.Suite.Name} suite signs only the native envelope, not {TransactionType}", nameof(options));
        }
    }

    /// <summary>The client transactions go through.</summary>
    public TrellisClient Client { get; }

    /// <summary>The signing wallet.</summary>
    public Wallet Wallet { get; }

    /// <summary>The sender address.</summary>
    public Address Address => Wallet.Address;

    /// <summary>The settings.</summary>
    public SignerOptions Options { get; }

    /// <summary>The envelope this signer builds.</summary>
    public TxType TransactionType { get; }

    /// <summary>The chain id (asked once, then cached).</summary>
    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        _chainId ??= await Client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Forgets the locally counted nonce, so the next send asks the node (after transactions were sent elsewhere).</summary>
    public void ResetNonce()
    {
        _sendLock.Wait();
        try
        {
            _nextNonce = null;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Builds, signs and submits a transaction; returns its hash. <paramref name="to"/> null creates a contract from
    /// <paramref name="data"/>. Without <paramref name="gasLimit"/> the node estimates it (and a reverting call fails
    /// here with the decoded reason, before anything is sent).
    /// </summary>
    /// <exception cref="TrellisRpcException">Estimation reverted, or the node rejected the transaction.</exception>
    public async Task<Hash256> SendTransactionAsync(Address? to, ReadOnlyMemory<byte> data, UInt256 value = default, ulong? gasLimit = null, CancellationToken cancellationToken = default)
    {
        ulong chainId = await GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        ulong gas = gasLimit ?? await EstimateAsync(to, data, value, cancellationToken).ConfigureAwait(false);
        UInt256 maxFee = Options.MaxFeePerGas ?? await Client.GetGasPriceAsync(cancellationToken).ConfigureAwait(false);
        UInt256 priority = Options.MaxPriorityFeePerGas ?? maxFee;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ulong nonce = _nextNonce ?? await Client.GetTransactionCountAsync(Address, "pending", cancellationToken).ConfigureAwait(false);
            Transaction transaction = Wallet.Sign(new TransactionBuilder
            {
                Type = TransactionType,
                ChainId = chainId,
                Nonce = nonce,
                MaxFeePerGas = maxFee,
                MaxPriorityFeePerGas = priority,
                GasLimit = gas,
                To = to,
                Value = value,
                Data = data,
            });
            Hash256 expected = transaction.ComputeHash(Wallet.Suite);
            Hash256 hash;
            try
            {
                hash = await Client.SendRawTransactionAsync(transaction.Encode(), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The node may or may not have taken the nonce; ask again next time instead of guessing.
                _nextNonce = null;
                throw;
            }

            _nextNonce = nonce + 1;
            if (hash != expected)
            {
                throw new TrellisRpcException($"eth_sendRawTransaction returned hash {hash}, but the signed transaction hashes to {expected} in the {Wallet.Suite.Name} suite");
            }

            return hash;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a transaction and waits for its receipt.</summary>
    /// <exception cref="TimeoutException">No receipt within <paramref name="timeout"/>.</exception>
    public async Task<TransactionReceipt> SendAndWaitAsync(Address? to, ReadOnlyMemory<byte> data, UInt256 value, TimeSpan timeout, ulong? gasLimit = null, CancellationToken cancellationToken = default)
    {
        Hash256 hash = await SendTransactionAsync(to, data, value, gasLimit, cancellationToken).ConfigureAwait(false);
        return await Client.WaitForReceiptAsync(hash, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the lock that orders sends.</summary>
    public void Dispose() => _sendLock.Dispose();

    private async Task<ulong> EstimateAsync(Address? to, ReadOnlyMemory<byte> data, UInt256 value, CancellationToken cancellationToken)
    {
        ulong estimate = await Client.EstimateGasAsync(new CallRequest { From = Address, To = to, Data = data, Value = value }, cancellationToken).ConfigureAwait(false);
        ulong headroom = estimate / 100 * (ulong)Math.Max(0, Options.GasHeadroomPercent);
        return estimate > ulong.MaxValue - headroom ? ulong.MaxValue : estimate + headroom;
    }
}
