using Trellis.Core;
using Trellis.Evm.StateTests;

namespace Trellis.Evm.Tests.StateTests;

public class StateTestRunnerTests
{
    private readonly StateTestRunner _runner = new();

    /// <summary>
    /// Fixtures/transferFixture.json is written by generate-transfer-fixture.mjs beside it: its post-states are worked
    /// out by hand and their roots computed with ethereumjs' trie, so they are independent of Trellis.
    /// </summary>
    [Fact]
    public void RunFile_MatchesIndependentlyComputedRootsOfATransfer()
    {
        var results = _runner.RunFile(StateTestPaths.Fixture("transferFixture.json"));
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Pass, r.Describe()));
        Assert.All(results, r => Assert.Equal(r.ExpectedRoot, r.ActualRoot));
        Assert.All(results, r => Assert.Equal(StateTestParser.Fork, r.Fork));
    }

    [Fact]
    public void RunFile_ReportsTheReasonForAnExpectedRejection()
    {
        var rejected = _runner.RunFile(StateTestPaths.Fixture("transferFixture.json")).Single(r => r.GasIndex == 1);
        Assert.True(rejected.Pass);
        Assert.Contains("rejected as expected (TransactionException.INTRINSIC_GAS_TOO_LOW): intrinsic gas too low: gas limit 20000 < intrinsic gas 21000", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AWrongExpectedRootFailsWithBothRoots()
    {
        var test = StateTestParser.ParseFile(StateTestPaths.Fixture("transferFixture.json"))[0];
        var wrong = Hash256.Parse("0x" + new string('1', 64));
        var tampered = test with { Cases = [test.Cases[0] with { ExpectedRoot = wrong }] };
        var result = Assert.Single(_runner.Run(tampered));
        Assert.True(result.Failed);
        Assert.Equal($"FAIL {test.File} transferBetweenAccounts [d=0 g=0 v=0] expected root {wrong} got {test.Cases[0].ExpectedRoot}", result.Describe());
    }

    [Fact]
    public void Run_AWrongLogsHashFails()
    {
        var test = StateTestParser.ParseFile(StateTestPaths.Fixture("transferFixture.json"))[0];
        var tampered = test with { Cases = [test.Cases[0] with { ExpectedLogsHash = Hash256.Zero }] };
        var result = Assert.Single(_runner.Run(tampered));
        Assert.True(result.Failed);
        Assert.Contains("expected logs 0x0000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AnExpectedRejectionThatExecutesFails()
    {
        var test = StateTestParser.ParseFile(StateTestPaths.Fixture("transferFixture.json"))[0];
        var tampered = test with { Cases = [test.Cases[0] with { ExpectException = "TransactionException.NONCE_MISMATCH_TOO_LOW" }] };
        var result = Assert.Single(_runner.Run(tampered));
        Assert.True(result.Failed);
        Assert.Contains("expected the transaction to be rejected (TransactionException.NONCE_MISMATCH_TOO_LOW) but it was executed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AnUnexpectedRejectionFails()
    {
        var test = StateTestParser.ParseFile(StateTestPaths.Fixture("transferFixture.json"))[0];
        var tampered = test with { Cases = [test.Cases[2] with { ExpectException = null }] };
        var result = Assert.Single(_runner.Run(tampered));
        Assert.True(result.Failed);
        Assert.Contains("transaction rejected but the test expects it to execute: intrinsic gas too low", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FindFiles_ExpandsDirectoriesRecursivelyInOrdinalOrder()
    {
        var files = StateTestRunner.FindFiles([StateTestPaths.Conformance("ethereum-tests", "GeneralStateTests", "Cancun")]);
        Assert.Equal(22, files.Count);
        Assert.Equal(files.Order(StringComparer.Ordinal), files);
        Assert.All(files, f => Assert.EndsWith(".json", f, StringComparison.Ordinal));
    }

    [Fact]
    public void FindFiles_NamesAMissingPath()
    {
        var e = Assert.Throws<FileNotFoundException>(() => StateTestRunner.FindFiles(["/no/such/path"]));
        Assert.Equal("state test path '/no/such/path' does not exist", e.Message);
    }

    [Fact]
    public void LogsHash_OfNoLogsIsKeccakOfTheEmptyList() =>
        Assert.Equal(Hash256.Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"), LogsHash.Compute([]));

    [Fact]
    public void LogsHash_EncodesAddressTopicsAndData()
    {
        var log = new LogEntry(Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87"), [Hash256.Zero], [0xaa]);
        // RLP by hand: the entry holds 0x94 + address (21 bytes), [0xa0 + topic] (34) and 0x81 0xaa (2): 57 bytes, over
        // 55 so its header is 0xf8 0x39; the outer list holds 59 bytes: 0xf8 0x3b.
        var expected = new List<byte> { 0xf8, 0x3b, 0xf8, 0x39, 0x94 };
        expected.AddRange(log.Address.Bytes.ToArray());
        expected.AddRange([0xe1, 0xa0]);
        expected.AddRange(new byte[32]);
        expected.AddRange([0x81, 0xaa]);
        Assert.Equal(expected.ToArray(), LogsHash.Encode([log]));
    }
}
