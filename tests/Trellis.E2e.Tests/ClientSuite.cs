namespace Trellis.E2e.Tests;

/// <summary>
/// The JavaScript client tests, one fact per file, run against whichever chain the derived class provides.
/// </summary>
public abstract class ClientSuite(IDevChain chain)
{
    [Fact]
    public Task EthersV6_DeploysTransfersReadsEventsAndRevertReasons() => JsTestRunner.RunAsync("ethers.test.mjs", chain.Environment, chain);

    [Fact]
    public Task Web3V4_ReadsTheSameBalancesTokenStateAndEventsAsEthers() => JsTestRunner.RunAsync("web3.test.mjs", chain.Environment, chain);

    [Fact]
    public Task Hardhat_DeploysAndCallsTheErc20ThroughTheHttpNetwork() => JsTestRunner.RunAsync("hardhat.test.mjs", chain.Environment, chain);
}
