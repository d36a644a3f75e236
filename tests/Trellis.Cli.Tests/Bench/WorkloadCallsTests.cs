using Trellis.Cli.Bench;
using Trellis.Core;

namespace Trellis.Cli.Tests.Bench;

public class WorkloadCallsTests
{
    // Selectors and the ABI encoding below were computed with ethers 6 (keccak256, AbiCoder) in tests/e2e.
    [Theory]
    [InlineData("transfer(address,uint256)", "0xa9059cbb")]
    [InlineData("set(bytes32,bytes32)", "0xf71f7a25")]
    [InlineData("record(bytes32,string)", "0xb0d0f4b8")]
    public void Selector_MatchesEthers(string signature, string expected) =>
        Assert.Equal(expected, Hex.Encode(WorkloadCalls.Selector(signature)));

    [Fact]
    public void Erc20Transfer_EncodesTheRecipientAndAmountAsTwoWords()
    {
        byte[] data = WorkloadCalls.Erc20Transfer(Address.Parse("0x00000000000000000000000000000000000000aa"), new UInt256(5));
        Assert.Equal(
            "0xa9059cbb" + "00000000000000000000000000000000000000000000000000000000000000aa" + "0000000000000000000000000000000000000000000000000000000000000005",
            Hex.Encode(data));
    }

    [Fact]
    public void KvSet_UsesAUniqueKeyPerRunAndIndexAndANonZeroValue()
    {
        byte[] runId = [.. Enumerable.Repeat((byte)0x11, 24)];
        byte[] data = WorkloadCalls.KvSet(runId, 7);
        Assert.Equal(
            "0xf71f7a25" + "1111111111111111111111111111111111111111111111110000000000000007" + "0000000000000000000000000000000000000000000000000000000000000008",
            Hex.Encode(data));
        Assert.NotEqual(Hex.Encode(data), Hex.Encode(WorkloadCalls.KvSet(runId, 8)));
    }

    [Fact]
    public void EvidenceRecord_MatchesTheAbiEncodingOfEthers()
    {
        byte[] runId = [.. Enumerable.Repeat((byte)0x11, 24)];
        byte[] data = WorkloadCalls.EvidenceRecord(runId, 7);

        // ethers: AbiCoder.encode(['bytes32','string'], [hash, 'trellis-bench evidence #000000000007']) with the
        // hash here being the run id followed by the index 7.
        Assert.Equal(
            "0xb0d0f4b8" +
            "1111111111111111111111111111111111111111111111110000000000000007" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000024" +
            "7472656c6c69732d62656e63682065766964656e636520233030303030303030" +
            "3030303700000000000000000000000000000000000000000000000000000000",
            Hex.Encode(data));
    }

    [Theory]
    [InlineData("erc20", "Erc20")]
    [InlineData("kv", "KvStore")]
    [InlineData("evidence", "Evidence")]
    public void CreationCode_IsTheCheckedInSolcOutput(string name, string file)
    {
        BenchWorkload workload = BenchSettings.ParseWorkload(name);
        string checkedIn = File.ReadAllText(Path.Combine(SharedPaths.Repository, "bench", "contracts", file + ".creation.hex")).Trim();
        byte[] code = WorkloadCalls.CreationCode(workload)!;
        Assert.StartsWith("0x" + checkedIn, Hex.Encode(code), StringComparison.Ordinal);
    }

    [Fact]
    public void CreationCode_OfTransfer_IsNone() => Assert.Null(WorkloadCalls.CreationCode(BenchWorkload.Transfer));
}
