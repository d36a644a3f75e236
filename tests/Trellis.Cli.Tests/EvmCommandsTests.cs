using System.Text.Json;

namespace Trellis.Cli.Tests;

public class EvmCommandsTests
{
    [Fact]
    public void StateTest_MissingPathExitsOneWithOneLine()
    {
        var (code, output, error) = CliRunner.Run("evm", "statetest", "/no/such/statetests");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("error: state test path '/no/such/statetests' does not exist" + Environment.NewLine, error);
    }

    [Fact]
    public void StateTest_MalformedJsonFileIsOneLineNamingIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"trellis-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{ \"test\": [");
        try
        {
            var (code, output, error) = CliRunner.Run("evm", "statetest", file);
            Assert.Equal(1, code);
            var line = Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: state test file '{file}' is not valid JSON", line, StringComparison.Ordinal);
            Assert.EndsWith("statetest: 0 passed, 0 failed, 0 skipped (1 unreadable files)" + Environment.NewLine, output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void StateTest_WithoutPathsIsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("evm", "statetest");
        Assert.NotEqual(0, code);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void StateTest_PassingFileExitsZeroWithTheSummaryLine()
    {
        var (code, output, error) = CliRunner.Run("evm", "statetest", Fixture());
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("statetest: 3 passed, 0 failed, 0 skipped" + Environment.NewLine, output);
    }

    [Fact]
    public void StateTest_JsonPrintsOneObjectPerCaseAndTheSummaryOnStandardError()
    {
        var (code, output, error) = CliRunner.Run("evm", "statetest", "--json", Fixture());
        Assert.Equal(0, code);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal("transferBetweenAccounts", root.GetProperty("test").GetString());
            Assert.Equal("Cancun", root.GetProperty("fork").GetString());
            Assert.True(root.GetProperty("pass").GetBoolean());
            Assert.False(root.GetProperty("skipped").GetBoolean());
            Assert.Equal(root.GetProperty("expectedRoot").GetString(), root.GetProperty("actualRoot").GetString());
            Assert.Equal(JsonValueKind.Number, root.GetProperty("indexes").GetProperty("data").ValueKind);
        }

        Assert.Equal("statetest: 3 passed, 0 failed, 0 skipped" + Environment.NewLine, error);
    }

    [Fact]
    public void StateTest_TestFilterSelectsByName()
    {
        var (code, output, _) = CliRunner.Run("evm", "statetest", "--test", "noSuchTest", Fixture());
        Assert.Equal(0, code);
        Assert.Equal("statetest: 0 passed, 0 failed, 0 skipped" + Environment.NewLine, output);
    }

    [Fact]
    public void StateTest_AFailingCasePrintsAFailLineAndExitsOne()
    {
        var file = Path.Combine(Path.GetTempPath(), $"trellis-wrong-{Guid.NewGuid():N}.json");
        var wrongRoot = "0x" + new string('1', 64);
        var text = File.ReadAllText(Fixture());
        // Replace the first expected root (case d=0) by a wrong one.
        int at = text.IndexOf("\"hash\": \"", StringComparison.Ordinal) + "\"hash\": \"".Length;
        text = text[..at] + wrongRoot + text[(at + 66)..];
        File.WriteAllText(file, text);
        try
        {
            var (code, output, _) = CliRunner.Run("evm", "statetest", file);
            Assert.Equal(1, code);
            var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith($"FAIL {file} transferBetweenAccounts [d=0 g=0 v=0] expected root {wrongRoot} got 0x", lines[0], StringComparison.Ordinal);
            Assert.Equal("statetest: 2 passed, 1 failed, 0 skipped", lines[1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The hand-made state test of Trellis.Evm.Tests (its roots were computed independently).</summary>
    private static string Fixture()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "Trellis.Evm.Tests", "StateTests", "Fixtures", "transferFixture.json");
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }
}
