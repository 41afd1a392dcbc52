package org.harbour.offering;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.audit.AuditLog;
import org.harbour.audit.NetworkAuditEntry;
import org.harbour.tenancy.Roles;
import org.harbour.web.Messages;
import org.harbour.web.ProblemException;

import io.quarkus.panache.common.Sort;

/** The service taxonomy: public to read (it is reference data), maintained by the network admin. */
@Path("/v1")
@Tag(name = "Taxonomy", description = "The bilingual list of services a site can offer; codes are stable.")
@Produces(MediaType.APPLICATION_JSON)
public class TaxonomyResource {

    @Inject
    AuditLog audit;

    @GET
    @Path("/taxonomy/services")
    @PermitAll
    @Transactional
    @Operation(operationId = "listServices", summary = "List every service code, with names in English and French",
            description = "Every service code, ordered by category then code, with nameEn, nameFr and name in the language of "
                    + "Accept-Language (en or fr). Public: no token needed; not paged.")
    @APIResponse(responseCode = "200", description = "Every service, by category and code",
            content = @Content(schema = @Schema(implementation = ServiceView[].class)))
    public List<ServiceView> list(HttpHeaders headers) {
        Locale locale = Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        return Service.<Service> listAll(Sort.by("category").and("code")).stream().map(s -> ServiceView.of(s, locale)).toList();
    }

    @GET
    @Path("/taxonomy/services/{code}")
    @PermitAll
    @Transactional
    @Operation(operationId = "getService", summary = "Read one service code",
            description = "Its category, method (drug checking only) and English and French names; name follows Accept-Language "
                    + "(en or fr). Public: no token needed. An unknown code is 404.")
    @APIResponse(responseCode = "200", description = "The service", content = @Content(schema = @Schema(implementation = ServiceView.class)))
    public ServiceView get(@PathParam("code") String code, HttpHeaders headers) {
        return ServiceView.of(find(code), Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)));
    }

    @POST
    @Path("/admin/taxonomy/services")
    @RolesAllowed(Roles.NETWORK_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(operationId = "addService", summary = "Add a service code to the taxonomy",
            description = "Network-admin only. Adds a code with its English and French names; a code that exists is 409. A "
                    + "DRUG_CHECKING service needs a method and any other category must have none (422). Recorded in the network "
                    + "audit trail.")
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = ServiceView.class)))
    public Response add(@Valid @NotNull ServiceInput input, HttpHeaders headers) {
        if (Service.findByIdOptional(input.code()).isPresent()) {
            throw ProblemException.conflict("problem.conflict.service-code");
        }
        if ((input.category() == ServiceCategory.DRUG_CHECKING) != (input.method() != null)) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("method", "field.method-for-drug-checking"));
        }
        Service service = new Service();
        service.code = input.code();
        service.category = input.category();
        service.method = input.method();
        service.nameEn = input.nameEn();
        service.nameFr = input.nameFr();
        service.persist();
        audit.recordNetwork(NetworkAuditEntry.Action.CREATE, "service", service.code, null, ServiceView.of(service, Locale.ENGLISH));
        return Response.created(URI.create("/v1/taxonomy/services/" + service.code))
                .entity(ServiceView.of(service, Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)))).build();
    }

    @DELETE
    @Path("/admin/taxonomy/services/{code}")
    @RolesAllowed(Roles.NETWORK_ADMIN)
    @Transactional
    @Operation(operationId = "deleteService", summary = "Delete a service code that no site offers",
            description = "A code that any site of any organization offers is refused with 409: codes in use stay.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A site offers this code")
    public void delete(@PathParam("code") String code) {
        Service service = find(code);
        ServiceView before = ServiceView.of(service, Locale.ENGLISH);
        try {
            service.delete();
            Service.flush();
            audit.recordNetwork(NetworkAuditEntry.Action.DELETE, "service", code, before, null);
        } catch (jakarta.persistence.PersistenceException e) {
            throw ProblemException.conflict("problem.conflict.service-in-use");
        }
    }

    private static Service find(String code) {
        return Service.<Service> findByIdOptional(code).orElseThrow(ProblemException::notFound);
    }
}
