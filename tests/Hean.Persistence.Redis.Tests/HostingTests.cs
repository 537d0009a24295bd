using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Persistence.Redis.Hosting;
using Hean.Persistence.Redis.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Hean.Persistence.Redis.Tests;

/// <summary>The plugin wired through its Akka.Hosting extension alone: journal, snapshot store, read journal, event adapters.</summary>
public sealed class HostingTests
{
    /// <summary>A write-side adapter like HEAN's tagger: every string event is tagged "note".</summary>
    public sealed class NoteTagger : IWriteEventAdapter
    {
        public string Manifest(object evt) => string.Empty;

        public object ToJournal(object evt) => new Tagged(evt, ["note"]);
    }

    [SkippableFact]
    public async Task With_redis_persistence_wires_the_default_plugins_the_adapters_and_the_read_journal()
    {
        var address = TestServices.RequireRedis();
        var prefix = $"test:{Guid.NewGuid():N}:";
        using var host = new HostBuilder().ConfigureServices(services => services.AddAkka("hosting-test", (builder, _) =>
            builder.WithRedisPersistence(new RedisServerOptions(address) { KeyPrefix = prefix },
                journal => journal.AddWriteEventAdapter<NoteTagger>("notes", [typeof(string)]), refreshInterval: TimeSpan.FromMilliseconds(50)))).Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
            Assert.Equal("akka.persistence.journal.redis", system.Settings.Config.GetString("akka.persistence.journal.plugin"));
            Assert.Equal("akka.persistence.snapshot-store.redis", system.Settings.Config.GetString("akka.persistence.snapshot-store.plugin"));

            var writer = system.ActorOf(Props.Create(() => new Recorder("hosted-1")));
            writer.Tell(new Recorder.PersistMany(["a", "b"]), ActorRefs.NoSender);

            // Written by our journal, tagged by the adapter, read back by our read journal.
            var queries = PersistenceQuery.Get(system).ReadJournalFor<RedisReadJournal>(RedisReadJournal.Identifier);
            IReadOnlyList<EventEnvelope> tagged = [];
            for (var i = 0; i < 100 && tagged.Count < 2; i++)
            {
                tagged = await queries.CurrentEventsByTag("note", Offset.NoOffset()).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
                if (tagged.Count < 2) await Task.Delay(100);
            }
            Assert.Equal(["a", "b"], tagged.Select(e => (string)e.Event));
            Assert.NotNull(persistence.JournalFor(null));

            var db = StackExchange.Redis.ConnectionMultiplexer.Connect(address).GetDatabase();
            Assert.True(db.KeyExists(prefix + "journal:{hosted-1}:events"), "the events are under the configured key prefix");
            foreach (var key in new[] { "journal:{hosted-1}:events", "journal:{hosted-1}:highest", "tag:{note}", "all", "persistence-ids" })
                db.KeyDelete(prefix + key);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
