using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Trellis.Core;
using Trellis.Evm.Precompiles;
using Trellis.Evm.SystemContracts;
using Trellis.State;

namespace Trellis.Evm;

/// <summary>
/// The Ethereum Virtual Machine with the Cancun rules: runs one transaction's depth-0 message call or contract
/// creation against an <see cref="IWorldState"/>, including every nested call and creation it makes.
/// </summary>
/// <remarks>
/// The transaction processor does the transaction-level work (intrinsic gas, nonce, buying gas, warming the
/// sender, recipient, precompiles, coinbase and access list, refunds). One instance serves one transaction at a
/// time and may be reused for the next; it is not thread-safe.
/// </remarks>
public sealed partial class VirtualMachine
{
    // Stack for a thread that continues a call chain the current thread has no room for (1024 nested frames).
    private const int DeepCallThreadStackSize = 64 * 1024 * 1024;

    private static readonly byte[] NoBytes = [];

    private readonly IWorldState _state;
    private readonly BlockContext _block;
    private readonly TransactionContext _transaction;
    private readonly ISystemContractHost? _systemContracts;
    private readonly List<LogEntry> _logs = [];
    private readonly List<ExecutionFrame> _frames = [];
    private IReadOnlyList<LogEntry> _resultLogs = [];
    private long _refund;
    private bool _usedPointEvaluation;
    private string? _notStartedReason;

    /// <summary>Creates a machine for one block and transaction context over a world state.</summary>
    public VirtualMachine(IWorldState state, BlockContext block, TransactionContext transaction)
        : this(state, block, transaction, null)
    {
    }

    /// <summary>
    /// Creates a machine that also runs the native contracts of <paramref name="systemContracts"/> (null: none) on
    /// CALL and STATICCALL to their addresses, and asks it whether each contract's bytecode may run.
    /// </summary>
    public VirtualMachine(IWorldState state, BlockContext block, TransactionContext transaction, ISystemContractHost? systemContracts)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(transaction);
        _state = state;
        _block = block;
        _transaction = transaction;
        _systemContracts = systemContracts;
    }

    /// <summary>Logs of the successful frames of the last <see cref="Call"/> or <see cref="Create"/>.</summary>
    public IReadOnlyList<LogEntry> Logs => _resultLogs;

    /// <summary>
    /// The refund counter of the last call or creation (EIP-3529 SSTORE clears); the transaction processor caps
    /// it at gasUsed / 5. Refunds of reverted frames are discarded.
    /// </summary>
    public long Refund => _refund;

    /// <summary>True when some frame of the last call or creation called the KZG point-evaluation precompile (0x0a), which Trellis does not implement.</summary>
    public bool UsedPointEvaluationPrecompile => _usedPointEvaluation;

    /// <summary>
    /// Runs a depth-0 message call: transfers <paramref name="value"/> from <paramref name="caller"/> to
    /// <paramref name="to"/>, runs the recipient's code (or precompile) with <paramref name="input"/>, and undoes
    /// every state change if it fails.
    /// </summary>
    public ExecutionResult Call(in Address caller, in Address to, in UInt256 value, ReadOnlyMemory<byte> input, long gas)
    {
        BeginMessage();
        try
        {
            var outcome = MessageCall(CallKind.Call, caller, to, to, value, input, gas, isStatic: false, depth: 0);
            return Finish(outcome, null);
        }
        finally
        {
            ReleaseFrames();
        }
    }

    /// <summary>
    /// Runs a depth-0 contract creation at <paramref name="newAddress"/> (computed by the caller from the sender and
    /// its nonce before the increment): the collision check, account creation with nonce 1, the value transfer, the
    /// init code, and the code deposit with the EIP-170 size limit and the EIP-3541 0xEF rule.
    /// </summary>
    public ExecutionResult Create(in Address caller, in Address newAddress, in UInt256 value, ReadOnlyMemory<byte> initCode, long gas)
    {
        BeginMessage();
        try
        {
            var outcome = CreateContract(caller, newAddress, value, initCode, gas, depth: 0, incrementCallerNonce: false);
            return Finish(outcome, newAddress);
        }
        finally
        {
            ReleaseFrames();
        }
    }

    private void BeginMessage()
    {
        _logs.Clear();
        _resultLogs = [];
        _refund = 0;
        _usedPointEvaluation = false;
        _notStartedReason = null;
    }

    private ExecutionResult Finish(in CallOutcome outcome, Address? createdAddress)
    {
        switch (outcome.Status)
        {
            case FrameStatus.Success:
                _resultLogs = _logs.ToArray();
                return new ExecutionResult(true, false, outcome.GasLeft, outcome.Output, createdAddress, null);
            case FrameStatus.Revert:
                return new ExecutionResult(false, true, outcome.GasLeft, outcome.Output, null, "revert");
            case FrameStatus.NotStarted:
                return new ExecutionResult(false, false, outcome.GasLeft, NoBytes, null, _notStartedReason ?? "call not started");
            default:
                return new ExecutionResult(false, false, 0, NoBytes, null, Describe(outcome));
        }
    }

    private static string Describe(in CallOutcome outcome) => outcome.Status switch
    {
        FrameStatus.OutOfGas => "out of gas",
        FrameStatus.InvalidOpcode => $"invalid opcode 0x{outcome.InvalidOpcode:x2}",
        FrameStatus.StackUnderflow => "stack underflow",
        FrameStatus.StackOverflow => "stack overflow (1024 items)",
        FrameStatus.InvalidJump => "invalid jump destination",
        FrameStatus.StaticViolation => "state modification in a static call",
        FrameStatus.ReturnDataOutOfBounds => "return data out of bounds",
        FrameStatus.InitCodeTooLarge => $"init code larger than {GasCost.MaxInitCodeSize} bytes (EIP-3860)",
        FrameStatus.CodeTooLarge => $"contract code larger than {GasCost.MaxCodeSize} bytes (EIP-170)",
        FrameStatus.InvalidCodePrefix => "contract code starts with 0xEF (EIP-3541)",
        FrameStatus.AddressCollision => "contract address collision",
        FrameStatus.PrecompileFailure => "precompile failed",
        _ => outcome.Status.ToString(),
    };

    private void ReleaseFrames()
    {
        foreach (var frame in _frames)
        {
            frame.Release();
        }
    }

    private ExecutionFrame FrameAt(int depth)
    {
        while (_frames.Count <= depth)
        {
            _frames.Add(new ExecutionFrame());
        }

        return _frames[depth];
    }

    private Checkpoint TakeCheckpoint() => new(_state.TakeSnapshot(), _logs.Count, _refund);

    private void RevertTo(in Checkpoint checkpoint)
    {
        _state.RevertToSnapshot(checkpoint.Snapshot);
        _logs.RemoveRange(checkpoint.LogCount, _logs.Count - checkpoint.LogCount);
        _refund = checkpoint.Refund;
    }

    private CallOutcome NotStarted(string reason, long gas)
    {
        _notStartedReason = reason;
        return new CallOutcome(FrameStatus.NotStarted, gas, NoBytes);
    }

    /// <summary>
    /// A message call of any kind (yellow paper Θ): <paramref name="sender"/> and <paramref name="value"/> are what
    /// the new frame sees as CALLER and CALLVALUE; <paramref name="codeAddress"/> supplies the code and
    /// <paramref name="contextAddress"/> the storage and balance.
    /// </summary>
    private CallOutcome MessageCall(CallKind kind, in Address sender, in Address codeAddress, in Address contextAddress, in UInt256 value, ReadOnlyMemory<byte> input, long gas, bool isStatic, int depth)
    {
        if (depth > GasCost.MaxCallDepth)
        {
            return NotStarted("call depth limit 1024 exceeded", gas);
        }

        bool movesValue = kind is CallKind.Call or CallKind.CallCode && !value.IsZero;
        if (movesValue && _state.GetBalance(sender) < value)
        {
            return NotStarted($"insufficient balance to transfer {value} from {sender}", gas);
        }

        bool isPrecompile = IsPrecompileAddress(codeAddress, out int precompileByte);
        ISystemContract? systemContract = isPrecompile ? null : _systemContracts?.Find(codeAddress);
        if (kind == CallKind.Call && !isPrecompile && systemContract is null && value.IsZero && !_state.AccountExists(codeAddress))
        {
            // EIP-161: a value-less call to an account that does not exist does nothing (and touches nothing).
            return new CallOutcome(FrameStatus.Success, gas, NoBytes);
        }

        var checkpoint = TakeCheckpoint();
        if (kind == CallKind.Call)
        {
            if (movesValue)
            {
                _state.SubtractBalance(sender, value);
                _state.AddBalance(codeAddress, value);
            }

            _state.Touch(codeAddress);
        }
        else if (kind == CallKind.StaticCall)
        {
            // A zero-value touch, as go-ethereum does: it matters for empty accounts (EIP-161 deletion).
            _state.Touch(codeAddress);
        }

        CallOutcome outcome;
        if (isPrecompile)
        {
            outcome = RunPrecompile(precompileByte, input.Span, gas);
        }
        else if (systemContract is not null)
        {
            outcome = RunSystemContract(systemContract, kind, sender, value, input, gas, isStatic);
        }
        else
        {
            var code = _state.GetCode(codeAddress);
            string? refusal;
            if (code.IsEmpty)
            {
                outcome = new CallOutcome(FrameStatus.Success, gas, NoBytes);
            }
            else if (_systemContracts is not null && (refusal = _systemContracts.RefuseCall(_state, codeAddress)) is not null)
            {
                outcome = new CallOutcome(FrameStatus.Revert, gas, RevertReason.EncodeError(refusal));
            }
            else
            {
                var frame = FrameAt(depth);
                var jumpDestinations = JumpDestinations.Get(_state.GetCodeHash(codeAddress), code.Span);
                frame.Start(code, jumpDestinations, input, contextAddress, sender, value, isStatic, depth, gas);
                var status = Run(frame);
                outcome = new CallOutcome(status, frame.Gas, frame.Output, frame.InvalidOpcode);
            }
        }

        if (outcome.Status != FrameStatus.Success)
        {
            RevertTo(checkpoint);
            if (outcome.Status != FrameStatus.Revert)
            {
                outcome = outcome with { GasLeft = 0, Output = NoBytes };
            }
        }

        return outcome;
    }

    /// <summary>Contract creation (yellow paper Λ) at an address the caller computed.</summary>
    private CallOutcome CreateContract(in Address caller, in Address newAddress, in UInt256 value, ReadOnlyMemory<byte> initCode, long gas, int depth, bool incrementCallerNonce)
    {
        if (depth > GasCost.MaxCallDepth)
        {
            return NotStarted("call depth limit 1024 exceeded", gas);
        }

        if (!value.IsZero && _state.GetBalance(caller) < value)
        {
            return NotStarted($"insufficient balance to endow {value} from {caller}", gas);
        }

        if (incrementCallerNonce)
        {
            ulong nonce = _state.GetNonce(caller);
            if (nonce == ulong.MaxValue)
            {
                return NotStarted($"nonce of {caller} is at its maximum (EIP-2681)", gas);
            }

            _state.SetNonce(caller, nonce + 1);
        }

        // EIP-2929: the new address is warm even if the creation fails.
        _state.WarmUpAccount(newAddress);

        // EIP-684 / EIP-7610: an account with a nonce, code or storage cannot be created over.
        if (_state.GetNonce(newAddress) != 0 || !_state.GetCode(newAddress).IsEmpty || _state.HasStorage(newAddress))
        {
            return new CallOutcome(FrameStatus.AddressCollision, 0, NoBytes);
        }

        var checkpoint = TakeCheckpoint();
        _state.CreateAccount(newAddress);
        _state.SetNonce(newAddress, 1);
        if (!value.IsZero)
        {
            _state.SubtractBalance(caller, value);
            _state.AddBalance(newAddress, value);
        }

        var status = FrameStatus.Success;
        long gasLeft = gas;
        byte[] output = NoBytes;
        byte invalidOpcode = 0;
        if (!initCode.IsEmpty)
        {
            var frame = FrameAt(depth);
            frame.Start(initCode, JumpDestinations.Analyze(initCode.Span), ReadOnlyMemory<byte>.Empty, newAddress, caller, value, isStatic: false, depth, gas);
            status = Run(frame);
            gasLeft = frame.Gas;
            output = frame.Output;
            invalidOpcode = frame.InvalidOpcode;
        }

        if (status == FrameStatus.Success)
        {
            long depositCost = (long)output.Length * GasCost.CodeDeposit;
            if (output.Length > GasCost.MaxCodeSize)
            {
                status = FrameStatus.CodeTooLarge;
            }
            else if (output.Length > 0 && output[0] == 0xEF)
            {
                status = FrameStatus.InvalidCodePrefix;
            }
            else if (depositCost > gasLeft)
            {
                status = FrameStatus.OutOfGas;
            }
            else
            {
                gasLeft -= depositCost;
                _state.SetCode(newAddress, output);
            }
        }

        if (status != FrameStatus.Success)
        {
            RevertTo(checkpoint);
            if (status != FrameStatus.Revert)
            {
                gasLeft = 0;
                output = NoBytes;
            }
        }

        return new CallOutcome(status, gasLeft, output, invalidOpcode);
    }

    private CallOutcome RunPrecompile(int addressByte, ReadOnlySpan<byte> input, long gas)
    {
        var precompile = PrecompileSet.Get(addressByte);
        if (precompile is null)
        {
            // 0x0a, KZG point evaluation (EIP-4844), is out of Trellis's scope: the call fails and is flagged.
            _usedPointEvaluation |= addressByte == PointEvaluationAddressByte;
            return new CallOutcome(FrameStatus.PrecompileFailure, 0, NoBytes);
        }

        long required = precompile.RequiredGas(input);
        if (required > gas)
        {
            return new CallOutcome(FrameStatus.OutOfGas, 0, NoBytes);
        }

        return precompile.TryRun(input, out var output)
            ? new CallOutcome(FrameStatus.Success, gas - required, output)
            : new CallOutcome(FrameStatus.PrecompileFailure, 0, NoBytes);
    }

    private const int PointEvaluationAddressByte = 0x0a;

    /// <summary>
    /// Runs a native system contract for CALL or STATICCALL. DELEGATECALL and CALLCODE would run it against the
    /// caller's storage, which it was not written for, so they revert.
    /// </summary>
    private CallOutcome RunSystemContract(ISystemContract contract, CallKind kind, in Address sender, in UInt256 value, ReadOnlyMemory<byte> input, long gas, bool isStatic)
    {
        if (kind is not (CallKind.Call or CallKind.StaticCall))
        {
            return new CallOutcome(FrameStatus.Revert, gas, RevertReason.EncodeError($"system contract {contract.Address} can only be called with CALL or STATICCALL, not {kind.ToString().ToUpperInvariant()}"));
        }

        var result = contract.Call(new SystemCall(_state, _block, _transaction, sender, value, input, gas, isStatic));
        long gasLeft = gas - Math.Clamp(result.GasUsed, 0, gas);
        switch (result.Status)
        {
            case SystemCallStatus.Success:
                foreach (var log in result.Logs)
                {
                    _logs.Add(log);
                }

                return new CallOutcome(FrameStatus.Success, gasLeft, result.Output);
            case SystemCallStatus.Revert:
                return new CallOutcome(FrameStatus.Revert, gasLeft, result.Output);
            default:
                return new CallOutcome(FrameStatus.OutOfGas, 0, NoBytes);
        }
    }

    /// <summary>True for 0x01..0x0a, the Cancun precompile addresses.</summary>
    private static bool IsPrecompileAddress(in Address address, out int addressByte)
    {
        ReadOnlySpan<byte> bytes = address.Bytes;
        addressByte = bytes[19];
        return addressByte is >= 1 and <= PointEvaluationAddressByte && bytes[..19].IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>
    /// Runs the interpreter on the frame, moving to a fresh thread with a large stack when this thread is about to
    /// run out (1024 nested frames do not fit every thread's default stack).
    /// </summary>
    private FrameStatus Run(ExecutionFrame frame)
    {
        if (RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return Interpret(frame);
        }

        var status = FrameStatus.Success;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    status = Interpret(frame);
                }
#pragma warning disable CA1031 // Rethrown on the calling thread below.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failure = ExceptionDispatchInfo.Capture(exception);
                }
            },
            DeepCallThreadStackSize);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return status;
    }

    private readonly record struct Checkpoint(int Snapshot, int LogCount, long Refund);

    private readonly record struct CallOutcome(FrameStatus Status, long GasLeft, byte[] Output, byte InvalidOpcode = 0);
}
