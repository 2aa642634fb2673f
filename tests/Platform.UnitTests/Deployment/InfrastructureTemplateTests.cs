using System.Reflection;
using System.Text.Json.Nodes;
using Platform.Infrastructure.Messaging;
using Platform.Testing;

namespace Platform.UnitTests.Deployment;

/// <summary>The managed services in the compiled template: queues, roles, Postgres, Key Vault, parameters.</summary>
public sealed class InfrastructureTemplateTests
{
    // Built-in Azure role definition ids.
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string ServiceBusDataOwner = "090c5cfd-751d-490a-894a-3ce6f1109419";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    private static ArmTemplate Template => ArmTemplate.Main;

    [Fact]
    public void Every_queue_of_the_pipeline_exists_with_duplicate_detection()
    {
        var serviceBus = Template.Module("serviceBus");
        var queues = Queues(serviceBus);
        var pipelineQueues = typeof(QueueNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetValue(null)!).ToList();
        queues.Keys.Order().ShouldBe(pipelineQueues.Order());

        var resource = serviceBus.Resource("Microsoft.ServiceBus/namespaces/queues");
        var properties = resource["properties"]!.AsObject();
        properties["requiresDuplicateDetection"]!.GetValue<bool>().ShouldBeTrue();
        properties["lockDuration"]!.GetValue<string>().ShouldBe("[variables('queues')[copyIndex()].lockDuration]");
        properties["maxDeliveryCount"]!.GetValue<string>().ShouldBe("[variables('queues')[copyIndex()].maxDeliveryCount]");
        properties["duplicateDetectionHistoryTimeWindow"]!.GetValue<string>().ShouldBe("[variables('queues')[copyIndex()].duplicateDetectionWindow]");
        resource["copy"]!["count"]!.GetValue<string>().ShouldBe("[length(variables('queues'))]");
    }

    [Fact]
    public void Pages_lock_for_two_minutes_dead_letter_after_five_deliveries_and_drop_duplicates_for_ten_minutes()
    {
        var page = Queues(Template.Module("serviceBus"))["ingest.page"];
        page["lockDuration"]!.GetValue<string>().ShouldBe("PT2M");
        page["maxDeliveryCount"]!.GetValue<int>().ShouldBe(5);
        page["duplicateDetectionWindow"]!.GetValue<string>().ShouldBe("PT10M");
        Queues(Template.Module("serviceBus")).Values.ShouldAllBe(q => q["duplicateDetectionWindow"]!.GetValue<string>() == "PT10M");
    }

    [Fact]
    public void The_namespace_is_standard_by_default_and_accepts_only_entra_identities()
    {
        Template.Parameter("serviceBusSku")["defaultValue"]!.GetValue<string>().ShouldBe("Standard");
        var ns = Template.Module("serviceBus").Resource("Microsoft.ServiceBus/namespaces");
        ns["properties"]!["disableLocalAuth"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Identities_get_only_the_roles_they_need_at_the_narrowest_scope()
    {
        var assignments = RoleAssignments().ToList();
        assignments.ShouldContain(a => a.Module == "registry" && a.Role == AcrPull && a.Principal == "pullPrincipalId");
        assignments.ShouldContain(a => a.Module == "serviceBus" && a.Role == ServiceBusDataSender && a.Principal == "appPrincipalId");
        assignments.ShouldContain(a => a.Module == "serviceBus" && a.Role == ServiceBusDataReceiver && a.Principal == "appPrincipalId");
        assignments.ShouldContain(a => a.Module == "keyVault" && a.Role == KeyVaultSecretsUser && a.Principal == "appPrincipalId");

        // Data Owner (needed to read queue counts) only for the scaler identity, only on single queues.
        var owner = assignments.Where(a => a.Role == ServiceBusDataOwner).ShouldHaveSingleItem();
        owner.Principal.ShouldBe("scalerPrincipalId");
        owner.Scope.ShouldStartWith("[resourceId('Microsoft.ServiceBus/namespaces/queues'");

        // Nothing else: no Owner, Contributor or other broad role anywhere.
        assignments.Select(a => a.Role).Distinct().Order()
            .ShouldBe(new[] { AcrPull, ServiceBusDataSender, ServiceBusDataReceiver, ServiceBusDataOwner, KeyVaultSecretsUser }.Order());
        assignments.ShouldAllBe(a => a.Scope.Length > 0, "every assignment is scoped to one resource");

        // The principals are the identities main creates.
        Template.Module("serviceBus").Parameter("appPrincipalId").ShouldBeOpaque("reference('identity').outputs.appPrincipalId.value");
        Template.Module("serviceBus").Parameter("scalerPrincipalId").ShouldBeOpaque("reference('identity').outputs.scalerPrincipalId.value");
        Template.Module("registry").Parameter("pullPrincipalId").ShouldBeOpaque("reference('identity').outputs.appPrincipalId.value");
        Template.Module("keyVault").Parameter("appPrincipalId").ShouldBeOpaque("reference('identity').outputs.appPrincipalId.value");
    }

    [Fact]
    public void Postgres_uses_entra_auth_with_the_app_identity_as_admin_and_holds_platformdb()
    {
        var postgres = Template.Module("postgres");
        var server = postgres.Resource("Microsoft.DBforPostgreSQL/flexibleServers")["properties"]!.AsObject();
        server["authConfig"]!["activeDirectoryAuth"]!.GetValue<string>().ShouldBe("Enabled");
        server["backup"]!["backupRetentionDays"]!.GetValue<string>().ShouldBe("[parameters('backupRetentionDays')]");
        server["highAvailability"]!["mode"]!.GetValue<string>().ShouldBe("[if(parameters('highAvailability'), 'ZoneRedundant', 'Disabled')]");

        var retention = Template.Parameter("postgresBackupRetentionDays");
        (retention["minValue"]!.GetValue<int>(), retention["maxValue"]!.GetValue<int>()).ShouldBe((7, 35));
        Template.Parameter("postgresHighAvailability")["type"]!.GetValue<string>().ShouldBe("bool");

        var admin = postgres.Resource("Microsoft.DBforPostgreSQL/flexibleServers/administrators")["properties"]!.AsObject();
        admin["principalType"]!.GetValue<string>().ShouldBe("ServicePrincipal");
        postgres.Parameter("appPrincipalId").ShouldBeOpaque("reference('identity').outputs.appPrincipalId.value");

        postgres.Parameter("databaseName")!.ShouldBeOpaque("variables('databaseName')");
        Template.Root["variables"]!["databaseName"]!.GetValue<string>().ShouldBe("platformdb");
    }

    [Fact]
    public void Key_vault_uses_rbac_and_receives_every_secret_the_apps_reference()
    {
        var vault = Template.Module("keyVault").Resource("Microsoft.KeyVault/vaults")["properties"]!.AsObject();
        vault["enableRbacAuthorization"]!.GetValue<bool>().ShouldBeTrue();
        vault.ContainsKey("accessPolicies").ShouldBeFalse();

        var secrets = Template.Module("secrets");
        var written = secrets.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Count();
        var outputs = secrets.Template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        outputs.ShouldAllBe(o => o.EndsWith("SecretUrl"));
        outputs.Count.ShouldBe(written);
        // Nothing secret leaves the module: its outputs are URLs only.
        secrets.Template["outputs"]!.AsObject().ShouldAllBe(o => o.Value!["value"]!.GetValue<string>().Contains("secrets/"));
    }

    [Fact]
    public void Every_required_parameter_of_main_is_supplied_by_main_parameters_json()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra/main.parameters.json")))!["parameters"]!.AsObject();
        var required = Template.Root["parameters"]!.AsObject().Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key);
        file.Select(p => p.Key).ShouldBeSubsetOf(Template.Root["parameters"]!.AsObject().Select(p => p.Key));
        required.ShouldBeSubsetOf(file.Select(p => p.Key));
        file["environmentName"]!["value"]!.GetValue<string>().ShouldBe("${AZURE_ENV_NAME}");
    }

    [Fact]
    public void Main_targets_the_subscription_creates_the_resource_group_and_outputs_what_azd_needs()
    {
        Template.Root["$schema"]!.GetValue<string>().ShouldContain("subscriptionDeploymentTemplate");
        Template.Resources["resourceGroup"]!["type"]!.GetValue<string>().ShouldBe("Microsoft.Resources/resourceGroups");
        var outputs = Template.Root["outputs"]!.AsObject().Select(o => o.Key).ToList();
        outputs.ShouldContain("API_URL");
        outputs.ShouldContain("AZURE_CONTAINER_REGISTRY_ENDPOINT");
        outputs.ShouldContain("AZURE_RESOURCE_GROUP");
    }

    private static Dictionary<string, JsonObject> Queues(ModuleInstance serviceBus) =>
        serviceBus.Variable("queues").AsArray().Select(q => q!.AsObject()).ToDictionary(q => q["name"]!.GetValue<string>());

    private sealed record Assignment(string Module, string Role, string Principal, string Scope);

    private static IEnumerable<Assignment> RoleAssignments()
    {
        foreach (var (name, _) in Template.Resources)
        {
            if (Template.Resources[name]!["type"]!.GetValue<string>() != "Microsoft.Resources/deployments")
            {
                continue;
            }
            var module = Template.Module(name);
            foreach (var assignment in module.ResourcesOfType("Microsoft.Authorization/roleAssignments"))
            {
                // roleDefinitionId: [subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('xRoleId'))]
                var definition = assignment["properties"]!["roleDefinitionId"]!.GetValue<string>();
                var variable = definition.Split("variables('")[1].Split("')")[0];
                var principal = assignment["properties"]!["principalId"]!.GetValue<string>().Split("parameters('")[1].Split("')")[0];
                yield return new Assignment(name, module.Variable(variable).GetValue<string>(), principal, assignment["scope"]?.GetValue<string>() ?? "");
            }
        }
    }
}
