using System.Diagnostics;
using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class NodeProcessesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void IsAlive_IsTrueForThisProcessAndFalseForAnExitedOne()
    {
        using Process exited = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        exited.WaitForExit();

        Assert.True(NodeProcesses.IsAlive(Environment.ProcessId));
        Assert.False(NodeProcesses.IsAlive(exited.Id));
    }

    [Fact]
    public void FindRunning_IgnoresAPidFileWhoseProcessIsNotThisNode()
    {
        // A PID reused by an unrelated process (here: the test process itself) must never be taken for the node.
        NetworkLayout layout = NewLayout(out NetworkNode node);
        File.WriteAllText(layout.PidFile(node.Name), Environment.ProcessId + "\n");

        Assert.Null(NodeProcesses.FindRunning(layout, node));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("-5")]
    [InlineData("1")]
    [InlineData("99999999999999999999")]
    public void FindRunning_IgnoresAMalformedPidFile(string text)
    {
        NetworkLayout layout = NewLayout(out NetworkNode node);
        File.WriteAllText(layout.PidFile(node.Name), text);

        Assert.Null(NodeProcesses.FindRunning(layout, node));
    }

    [Fact]
    public void FindRunning_FindsAProcessWhoseCommandLineRunsThisNodesConfig()
    {
        NetworkLayout layout = NewLayout(out NetworkNode node);

        // A stand-in with the node's command line shape: sh -c 'sleep 30' run --config <node.json>.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string argument in new[] { "-c", "sleep 30", "run", "--config", layout.NodeConfigFile(node.Name) })
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        try
        {
            File.WriteAllText(layout.PidFile(node.Name), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(process.Id, NodeProcesses.FindRunning(layout, node));
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    [Fact]
    public async Task StopAsync_TerminatesAndKillsWhatIgnoresSigterm()
    {
        using Process polite = Process.Start(new ProcessStartInfo("/bin/sleep", "30") { UseShellExecute = false })!;
        var stubborn = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        stubborn.ArgumentList.Add("-c");
        stubborn.ArgumentList.Add("trap '' TERM; while true; do sleep 0.1; done");
        using Process ignoring = Process.Start(stubborn)!;
        await Task.Delay(300);

        IReadOnlyList<string> killed = await NodeProcesses.StopAsync([("polite", polite.Id), ("stubborn", ignoring.Id)], TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(["stubborn"], killed);
        Assert.True(polite.WaitForExit(5_000));
        Assert.True(ignoring.WaitForExit(5_000));
    }

    [Fact]
    public void LastLogError_PrefersTheLastErrorLine()
    {
        NetworkLayout layout = NewLayout(out NetworkNode node);
        File.WriteAllText(layout.LogFile(node.Name), "info: starting\nerror: port 1 is in use\ninfo: bye\n");

        Assert.Equal("error: port 1 is in use", NodeProcesses.LastLogError(layout, node));
        File.WriteAllText(layout.LogFile(node.Name), "info: a\ninfo: last words\n\n");
        Assert.Equal("info: last words", NodeProcesses.LastLogError(layout, node));
        File.Delete(layout.LogFile(node.Name));
        Assert.Null(NodeProcesses.LastLogError(layout, node));
    }

    [Fact]
    public void TrellisCommand_RunsTheTrellisAssemblyWithTheDotnetHostOrIsTheTrellisExecutable()
    {
        IReadOnlyList<string> command = NodeProcesses.TrellisCommand();

        Assert.True(
            (command.Count == 2 && command[1].EndsWith("trellis.dll", StringComparison.Ordinal)) ||
            (command.Count == 1 && Path.GetFileNameWithoutExtension(command[0]) == "trellis"),
            string.Join(' ', command));
    }

    private NetworkLayout NewLayout(out NetworkNode node)
    {
        var layout = new NetworkLayout(_temp.Path);
        node = new NetworkNode("org1-node1", "org1", "validator", new Uri("http://127.0.0.1:1"), null, "nodes/org1-node1");
        Directory.CreateDirectory(layout.NodeDirectory(node.Name));
        return layout;
    }
}
