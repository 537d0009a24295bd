using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Hean.Actors.Common;
using Hean.Actors.Persistence;
using Xunit.Abstractions;

namespace Hean.Actors.Tests;

/// <summary>
/// A TestKit whose ActorSystem runs HEAN's own configuration (serializer bindings, base HOCON) on
/// the chosen journal. Each test gets a fresh system, so persistence ids never leak between tests.
/// </summary>
public abstract class HeanActorTest : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _dataDir;

    protected HeanActorTest(PersistenceBackend backend, ITestOutputHelper? output = null, string? overrides = null)
        : this(NewDataDir(), backend, output, overrides)
    {
    }

    private HeanActorTest(string dataDir, PersistenceBackend backend, ITestOutputHelper? output, string? overrides)
        : base(SetupFor(dataDir, backend, overrides), "hean-test", output)
    {
        _dataDir = dataDir;
        if (backend == PersistenceBackend.Sqlite) WalCheckpointer.Start(Sys, dataDir); // as hean run: no commit checkpoints
    }

    /// <summary>The longest a test waits for what normally takes milliseconds: generous, for a loaded 2-core CI machine (first SQLite journal writes).</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static string NewDataDir() => Path.Combine(Path.GetTempPath(), "hean-actors-tests", Guid.NewGuid().ToString("N"));

    /// <summary>On SQLite the journal's connections are set up as in <c>hean run</c> (WAL, synchronous=NORMAL, no checkpoint in a commit).</summary>
    private static ActorSystemSetup SetupFor(string dataDir, PersistenceBackend backend, string? overrides)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(ConfigFor(dataDir, backend, overrides));
        return backend == PersistenceBackend.Sqlite ? ActorSystemSetup.Create(bootstrap, HeanConfig.SqliteSetup(dataDir)) : ActorSystemSetup.Create(bootstrap);
    }

    private static Config ConfigFor(string dataDir, PersistenceBackend backend, string? overrides)
    {
        var config = HeanConfig.Build(backend, dataDir);
        // Tests read warnings and errors only; the CI log stays short.
        var quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off");
        var result = quiet.WithFallback(config);
        return overrides is null ? result : ConfigurationFactory.ParseString(overrides).WithFallback(result);
    }

    /// <summary>Waits until <paramref name="actor"/> has handled (and persisted) everything sent to it before.</summary>
    protected void SyncWith(IActorRef actor) => Ask<Synced>(actor, Sync.Instance);

    /// <summary>Stops an actor and waits for its Terminated, so a successor with the same persistence id can start.</summary>
    protected void StopAndWait(IActorRef actor)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        Sys.Stop(actor);
        watcher.ExpectTerminated(actor, Patience);
    }

    protected T Ask<T>(IActorRef actor, object message) => actor.Ask<T>(message, Patience).GetAwaiter().GetResult();

    protected override void AfterAll()
    {
        base.AfterAll();
        try
        {
            if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may keep a pooled handle for a moment; the temp folder is cleaned by the OS.
        }
    }
}
