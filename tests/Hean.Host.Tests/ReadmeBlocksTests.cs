using Xunit;

namespace Hean.Host.Tests;

/// <summary>The README markers and command lines the README test relies on, without running anything.</summary>
public sealed class ReadmeBlocksTests
{
    [Fact]
    public void A_bash_block_without_a_marker_is_refused_other_fences_are_not_commands()
    {
        var e = Assert.Throws<FormatException>(() => ReadmeBlock.Parse("text\n```bash\nhean state\n```\n"));
        Assert.Contains("line 2", e.Message);
        Assert.Empty(ReadmeBlock.Parse("```\nhean state\n```\n"));
    }

    [Fact]
    public void Markers_give_the_kind_the_lines_run_until_stopped_and_the_lines_skipped_with_their_reason()
    {
        var block = Assert.Single(ReadmeBlock.Parse(
            "<!-- readme-test: standalone; until-stopped \"hean run\"; skip \"./test.sh\" (slow; and recursive) -->\n```bash\nhean run   # Ctrl-C\n./test.sh\n```\n"));
        Assert.Equal(ReadmeBlockKind.Standalone, block.Kind);
        Assert.True(block.RunsUntilStopped(block.Commands[0]));
        Assert.Equal("slow; and recursive", block.WhySkipped(block.Commands[1]));
        Assert.Null(block.WhySkipped(block.Commands[0]));

        var skipped = Assert.Single(ReadmeBlock.Parse("<!-- readme-test: skip (real keys) -->\n```bash\nhean run --exchange bybit\n```\n"));
        Assert.Equal((ReadmeBlockKind.Skip, "real keys"), (skipped.Kind, skipped.SkipReason));
    }

    [Theory]
    [InlineData("<!-- readme-test: sometimes -->", "unknown readme-test kind")]
    [InlineData("<!-- readme-test: standalone; skip \"hean nothing\" (x) -->", "no command of the block starts with")]
    [InlineData("<!-- readme-test: standalone; later -->", "unknown readme-test option")]
    public void A_wrong_marker_is_refused(string marker, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => ReadmeBlock.Parse(marker + "\n```bash\nhean state\n```\n")).Message);

    [Fact]
    public void Commands_join_continuations_skip_comments_and_take_the_files_announced_after_them()
    {
        var commands = ReadmeCommand.Split(["# a comment", "hean train --model rl \\", "  --out ./m", "# → ./m/rl/v0001/{policy.json,info.json}", "", "hean model list"], 10);
        Assert.Equal([(11, "hean train --model rl --out ./m"), (15, "hean model list")], commands.Select(c => (c.Line, c.Text)));
        Assert.Equal(["./m/rl/v0001/policy.json", "./m/rl/v0001/info.json"], commands[0].Announced);
    }

    [Fact]
    public void A_command_runs_the_tests_build_with_its_optional_parts_and_wall_clock_durations_shortened()
    {
        var run = ReadmeCommandLine.From(new ReadmeCommand(1, "dotnet run --project src/Hean.Host -- run --duration 60s --speed 10   # a minute", []), untilStopped: false);
        Assert.Equal($"dotnet '{HeanProcess.HeanDll}' run --duration 5s --speed 10   # a minute", run.Script);
        Assert.True(run.Shortened);

        var backtest = ReadmeCommandLine.From(new ReadmeCommand(1, "hean backtest --duration 6h --out r.json [--html \"r 1.html\"]", []), untilStopped: false);
        Assert.Contains("--duration 6h", backtest.Script);
        Assert.False(backtest.Shortened);
        Assert.Equal(["r.json", "r 1.html"], backtest.WrittenFiles);

        var node = ReadmeCommandLine.From(new ReadmeCommand(1, "LOG_LEVEL=DEBUG hean run", []), untilStopped: true);
        Assert.Equal($"LOG_LEVEL=DEBUG exec dotnet '{HeanProcess.HeanDll}' run", node.Script);
    }
}
