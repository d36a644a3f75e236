using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm.Processing;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Evm.StateTests;

/// <summary>
/// Runs ethereum/tests GeneralStateTests: builds each test's pre-state in a fresh in-memory world state, applies
/// every <c>post.Cancun</c> case's transaction through <see cref="TransactionProcessor"/>, and compares the state root
/// and the logs hash. The tests use the standard suite (Keccak-256, secp256k1).
/// </summary>
public sealed class StateTestRunner
{
    private readonly ICryptoSuite _suite = CryptoSuites.Standard;
    private readonly TransactionProcessor _processor;

    /// <summary>Creates a runner.</summary>
    public StateTestRunner()
    {
        _processor = new TransactionProcessor(_suite);
    }

    /// <summary>
    /// Expands the given paths into test files: a file is taken as it is; a directory contributes every <c>.json</c>
    /// file below it, recursively, in ordinal order (so runs are reproducible).
    /// </summary>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a directory.</exception>
    public static IReadOnlyList<string> FindFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.GetFiles(path, "*.json", SearchOption.AllDirectories);
                Array.Sort(found, StringComparer.Ordinal);
                files.AddRange(found);
            }
            else
            {
                throw new FileNotFoundException($"state test path '{path}' does not exist", path);
            }
        }

        return files;
    }

    /// <summary>Runs every Cancun case of every test in a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="StateTestFormatException">The file is not a JSON object of tests (a malformed test inside it is a failed case instead).</exception>
    public IReadOnlyList<StateTestCaseResult> RunFile(string path)
    {
        var results = new List<StateTestCaseResult>();
        foreach (var test in StateTestParser.ParseFile(path))
        {
            results.AddRange(Run(test));
        }

        return results;
    }

    /// <summary>Runs every Cancun case of one test.</summary>
    public IReadOnlyList<StateTestCaseResult> Run(StateTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.Error is not null)
        {
            return [new StateTestCaseResult(test.File, test.Name, StateTestParser.Fork, -1, -1, -1, false, false, null, null, test.Error)];
        }

        var results = new List<StateTestCaseResult>(test.Cases.Count);
        if (test.Cases.Count == 0)
        {
            return results;
        }

        MemoryStore store;
        Hash256 preRoot;
        try
        {
            (store, preRoot) = BuildPreState(test.Pre);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var c in test.Cases)
            {
                results.Add(Fail(test, c, null, $"could not build the pre-state: {e.GetType().Name}: {e.Message}"));
            }

            return results;
        }

        var block = test.Environment!.ToBlockContext();
        foreach (var testCase in test.Cases)
        {
            results.Add(RunCase(test, testCase, store, preRoot, block));
        }

        return results;
    }

    private StateTestCaseResult RunCase(StateTest test, StateTestCase testCase, MemoryStore store, Hash256 preRoot, BlockContext block)
    {
        WorldState? state = null;
        try
        {
            state = new WorldState(store, _suite, preRoot);
            if (!test.Transaction!.TryBuild(testCase.DataIndex, testCase.GasIndex, testCase.ValueIndex, out var tx, out var buildError))
            {
                // A transaction whose fields cannot even be decoded is invalid: nothing is applied.
                return Rejected(test, testCase, state.ComputeStateRoot(), buildError!);
            }

            var result = _processor.Execute(state, block, tx!);
            if (result.UsedPointEvaluationPrecompile)
            {
                return new StateTestCaseResult(test.File, test.Name, StateTestParser.Fork, testCase.DataIndex, testCase.GasIndex, testCase.ValueIndex,
                    false, true, testCase.ExpectedRoot, null, "skipped: calls the KZG point-evaluation precompile 0x0a (out of scope)");
            }

            var root = state.ComputeStateRoot();
            if (result.IsRejected)
            {
                return Rejected(test, testCase, root, result.ErrorMessage ?? result.Error.ToString());
            }

            if (testCase.ExpectException is not null)
            {
                return Fail(test, testCase, root, $"expected the transaction to be rejected ({testCase.ExpectException}) but it was executed (gas used {result.GasUsed})");
            }

            if (root != testCase.ExpectedRoot)
            {
                string detail = result.Success ? "" : $" (execution failed: {result.ExecutionError})";
                return Fail(test, testCase, root, $"expected root {testCase.ExpectedRoot} got {root}{detail}");
            }

            var logsHash = LogsHash.Compute(result.Logs);
            if (logsHash != testCase.ExpectedLogsHash)
            {
                return Fail(test, testCase, root, $"expected logs {testCase.ExpectedLogsHash} got {logsHash} ({result.Logs.Count} logs)");
            }

            return Pass(test, testCase, root, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in the EVM or state must show up as one failed case, not stop the run.
            Hash256? root = null;
            return Fail(test, testCase, root, $"exception {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Our processor rejected the transaction: right only if the test expected that (the state is then the pre-state).</summary>
    private static StateTestCaseResult Rejected(StateTest test, StateTestCase testCase, Hash256 root, string reason)
    {
        if (testCase.ExpectException is null)
        {
            return Fail(test, testCase, root, $"transaction rejected but the test expects it to execute: {reason}");
        }

        return root == testCase.ExpectedRoot
            ? Pass(test, testCase, root, $"rejected as expected ({testCase.ExpectException}): {reason}")
            : Fail(test, testCase, root, $"rejected as expected ({testCase.ExpectException}: {reason}) but expected root {testCase.ExpectedRoot} got {root}");
    }

    private static StateTestCaseResult Pass(StateTest test, StateTestCase testCase, Hash256 root, string? note) =>
        new(test.File, test.Name, StateTestParser.Fork, testCase.DataIndex, testCase.GasIndex, testCase.ValueIndex, true, false, testCase.ExpectedRoot, root, note);

    private static StateTestCaseResult Fail(StateTest test, StateTestCase testCase, Hash256? root, string error) =>
        new(test.File, test.Name, StateTestParser.Fork, testCase.DataIndex, testCase.GasIndex, testCase.ValueIndex, false, false, testCase.ExpectedRoot, root, error);

    /// <summary>Writes the pre-state into a new store and returns it with its root; every case starts from there.</summary>
    private (MemoryStore Store, Hash256 Root) BuildPreState(IReadOnlyList<StateTestAccount> accounts)
    {
        var store = new MemoryStore();
        var state = new WorldState(store, _suite);
        foreach (var account in accounts)
        {
            // Outside a transaction nothing is "touched": empty accounts of the pre-state stay as they are.
            state.CreateAccount(account.Address);
            if (!account.Balance.IsZero)
            {
                state.AddBalance(account.Address, account.Balance);
            }

            state.SetNonce(account.Address, account.Nonce);
            if (account.Code.Length > 0)
            {
                state.SetCode(account.Address, account.Code);
            }

            foreach (var slot in account.Storage)
            {
                if (!slot.Value.IsZero)
                {
                    state.SetStorage(account.Address, slot.Key, slot.Value);
                }
            }
        }

        using var batch = store.StartBatch();
        var root = state.Commit(batch);
        batch.Commit();
        return (store, root);
    }
}
