using Trellis.Core;
using Trellis.Sdk.Abi;
using Trellis.Sdk.Rpc;

namespace Trellis.Sdk;

/// <summary>
/// A deployed contract: its ABI, its address and the client (and optional signer) to reach it. Reads with
/// <c>eth_call</c> (<see cref="CallAsync{T}(string, object?[])"/>), sends transactions
/// (<see cref="SendAsync(string, object?[])"/>, needs a signer), decodes its events from receipts and subscribes to them.
/// Reverts surface as <see cref="TrellisRpcException"/> whose <see cref="TrellisRpcException.Revert"/> is decoded
/// with the contract's own custom errors.
/// </summary>
public sealed class Contract
{
    /// <summary>Binds an ABI to a deployed address.</summary>
    public Contract(TrellisClient client, ContractAbi abi, Address address, Signer? signer = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(abi);
        Client = client;
        Abi = abi;
        Address = address;
        Signer = signer;
    }

    /// <summary>The client.</summary>
    public TrellisClient Client { get; }

    /// <summary>The contract's interface.</summary>
    public ContractAbi Abi { get; }

    /// <summary>The contract's address.</summary>
    public Address Address { get; }

    /// <summary>The signer used by <see cref="SendAsync(string, object?[])"/>; null for a read-only binding.</summary>
    public Signer? Signer { get; }

    /// <summary>How long <see cref="SendAsync(string, object?[])"/> waits for a receipt. Default 60 s.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Binds JSON ABI text to a deployed address.</summary>
    public static Contract FromJson(TrellisClient client, string abiJson, Address address, Signer? signer = null) =>
        new(client, ContractAbi.Parse(abiJson), address, signer);

    /// <summary>
    /// Deploys <paramref name="bytecode"/> (creation code) with ABI-encoded constructor arguments, waits for the
    /// receipt and returns the contract bound to its new address and to <paramref name="signer"/>.
    /// </summary>
    /// <exception cref="TrellisRpcException">The creation reverted (during estimation, with the decoded reason) or was rejected.</exception>
    /// <exception cref="InvalidOperationException">The creation was included but failed.</exception>
    public static async Task<Contract> DeployAsync(
        Signer signer, ContractAbi abi, ReadOnlyMemory<byte> bytecode, object?[] constructorArguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(abi);
        ArgumentNullException.ThrowIfNull(constructorArguments);
        byte[] creation = abi.EncodeDeployment(bytecode.Span, constructorArguments);
        TimeSpan wait = timeout ?? TimeSpan.FromSeconds(60);
        TransactionReceipt receipt;
        try
        {
            receipt = await signer.SendAndWaitAsync(null, creation, UInt256.Zero, wait, null, cancellationToken).ConfigureAwait(false);
        }
        catch (TrellisRpcException e)
        {
            throw e.WithRevertDecodedBy(abi);
        }

        if (!receipt.Succeeded || receipt.ContractAddress is not Address address)
        {
            throw new InvalidOperationException($"contract creation {receipt.TransactionHash} failed in block {receipt.BlockNumber} (status 0, {receipt.GasUsed} gas used)");
        }

        return new Contract(signer.Client, abi, address, signer) { ReceiptTimeout = wait };
    }

    /// <summary>Calls a read-only function and converts its single output (or all outputs, for <c>object?[]</c>) to <typeparamref name="T"/>.</summary>
    public Task<T> CallAsync<T>(string method, params object?[] arguments) => CallAsync<T>(method, arguments, CancellationToken.None);

    /// <summary>Calls a function with <c>eth_call</c> and converts the result to <typeparamref name="T"/>.</summary>
    /// <exception cref="TrellisRpcException">The call reverted (reason decoded) or failed.</exception>
    /// <exception cref="InvalidCastException">The output cannot be represented as <typeparamref name="T"/>.</exception>
    public async Task<T> CallAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        object?[] outputs = await CallAsync(method, arguments, cancellationToken).ConfigureAwait(false);
        if (typeof(T) == typeof(object[]))
        {
            return (T)(object)outputs;
        }

        if (outputs.Length != 1)
        {
            throw new InvalidCastException($"{Abi.GetFunction(method).Signature} returns {outputs.Length} values; ask for object[] to get them all");
        }

        return AbiValueConverter.Convert<T>(outputs[0]);
    }

    /// <summary>Calls a function with <c>eth_call</c> and returns all decoded outputs.</summary>
    public async Task<object?[]> CallAsync(string method, object?[] arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        AbiFunction function = Abi.GetFunction(method);
        byte[] callData = function.EncodeCall(arguments);
        byte[] output;
        try
        {
            output = await Client.CallAsync(new CallRequest { From = Signer?.Address, To = Address, Data = callData }, "latest", cancellationToken).ConfigureAwait(false);
        }
        catch (TrellisRpcException e)
        {
            throw e.WithRevertDecodedBy(Abi);
        }

        if (output.Length == 0 && function.Outputs.Count > 0)
        {
            throw new TrellisRpcException($"{function.Signature} returned no data: is there a contract at {Address}?");
        }

        return function.DecodeOutput(output);
    }

    /// <summary>Sends a transaction calling <paramref name="method"/> and waits for its receipt.</summary>
    public Task<TransactionReceipt> SendAsync(string method, params object?[] arguments) =>
        SendAsync(method, arguments, UInt256.Zero, CancellationToken.None);

    /// <summary>Sends a transaction calling <paramref name="method"/> with <paramref name="value"/> wei and waits for its receipt.</summary>
    /// <exception cref="InvalidOperationException">The contract has no signer.</exception>
    /// <exception cref="TrellisRpcException">Estimation reverted (reason decoded) or the node rejected the transaction.</exception>
    /// <exception cref="TimeoutException">No receipt within <see cref="ReceiptTimeout"/>.</exception>
    public async Task<TransactionReceipt> SendAsync(string method, object?[] arguments, UInt256 value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Signer signer = Signer ?? throw new InvalidOperationException($"contract {Address} has no signer; bind one to send {method}");
        byte[] callData = Abi.GetFunction(method).EncodeCall(arguments);
        try
        {
            return await signer.SendAndWaitAsync(Address, callData, value, ReceiptTimeout, null, cancellationToken).ConfigureAwait(false);
        }
        catch (TrellisRpcException e)
        {
            throw e.WithRevertDecodedBy(Abi);
        }
    }

    /// <summary>Waits for the receipt of a transaction.</summary>
    public Task<TransactionReceipt> WaitForReceiptAsync(Hash256 transactionHash, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Client.WaitForReceiptAsync(transactionHash, timeout, cancellationToken);

    /// <summary>The events this contract emitted in a receipt, decoded (logs of other contracts and unknown events are skipped).</summary>
    public IReadOnlyList<DecodedEvent> DecodeEvents(TransactionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var events = new List<DecodedEvent>();
        foreach (LogEntry log in receipt.Logs)
        {
            if (log.Address == Address && log.Topics.Count > 0 && Abi.FindEvent(log.Topics[0]) is AbiEvent abiEvent)
            {
                events.Add(abiEvent.DecodeLog(log.Topics, log.Data));
            }
        }

        return events;
    }

    /// <summary>
    /// Subscribes to one event of this contract; <paramref name="handler"/> receives each decoded event with its log.
    /// <paramref name="indexedFilter"/> optionally restricts indexed parameters (null = any), in order.
    /// </summary>
    public Task<Subscription> SubscribeAsync(
        string eventName, Func<DecodedEvent, LogEntry, Task> handler, object?[]? indexedFilter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AbiEvent abiEvent = Abi.GetEvent(eventName);
        var filter = new LogFilter { Addresses = [Address], Topics = abiEvent.EncodeTopicFilter(indexedFilter ?? []) };
        return Client.SubscribeLogsAsync(filter, (log, _) => handler(abiEvent.DecodeLog(log.Topics, log.Data), log), cancellationToken);
    }

    /// <summary>Past events of one kind from this contract (<c>eth_getLogs</c>), decoded.</summary>
    public async Task<IReadOnlyList<DecodedEvent>> GetEventsAsync(string eventName, string fromBlock = "earliest", string toBlock = "latest", CancellationToken cancellationToken = default)
    {
        AbiEvent abiEvent = Abi.GetEvent(eventName);
        var filter = new LogFilter { FromBlock = fromBlock, ToBlock = toBlock, Addresses = [Address], Topics = abiEvent.EncodeTopicFilter() };
        IReadOnlyList<LogEntry> logs = await Client.GetLogsAsync(filter, cancellationToken).ConfigureAwait(false);
        var events = new List<DecodedEvent>(logs.Count);
        foreach (LogEntry log in logs)
        {
            events.Add(abiEvent.DecodeLog(log.Topics, log.Data));
        }

        return events;
    }
}
