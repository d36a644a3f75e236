// Run by hardhat.test.mjs as `hardhat run --network trellis hardhat/scripts/deploy-token.cjs`: deploys the ERC-20
// with hardhat-ethers' deployContract, calls it, and prints what it saw as one `RESULT {json}` line for the test
// to check against the node independently.
const hre = require('hardhat');

async function main() {
  const { ethers } = hre;
  const [owner, other] = await ethers.getSigners();
  const supply = ethers.parseUnits('21000000', 18);

  const token = await ethers.deployContract('TrellisToken', ['Hardhat Token', 'HHT', supply]);
  await token.waitForDeployment();
  const deployment = await token.deploymentTransaction().wait();

  const transfer = await token.transfer(other.address, 4242n);
  const receipt = await transfer.wait();
  const event = token.interface.parseLog(receipt.logs[0]);

  let revertReason = null;
  try {
    await token.connect(other).transfer(owner.address, 4243n);
  } catch (err) {
    // Hardhat's http provider raises a ProviderError carrying the node's JSON-RPC error data: the revert bytes,
    // either directly or (as Hardhat's own node sends it) nested as { message, data }.
    const data = typeof err.data === 'string' ? err.data : err.data?.data;
    const decoded = data ? token.interface.parseError(data) : null;
    revertReason = decoded?.name === 'Error' ? decoded.args[0] : `undecoded error: ${err.message}`;
  }

  const result = {
    network: hre.network.name,
    chainId: (await ethers.provider.getNetwork()).chainId.toString(),
    address: await token.getAddress(),
    deployBlock: deployment.blockNumber,
    deployStatus: deployment.status,
    owner: owner.address,
    other: other.address,
    name: await token.name(),
    symbol: await token.symbol(),
    totalSupply: (await token.totalSupply()).toString(),
    ownerBalance: (await token.balanceOf(owner.address)).toString(),
    otherBalance: (await token.balanceOf(other.address)).toString(),
    transferHash: receipt.hash,
    transferStatus: receipt.status,
    transferEvent: { name: event.name, from: event.args.from, to: event.args.to, value: event.args.value.toString() },
    revertReason,
  };
  console.log('RESULT ' + JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
