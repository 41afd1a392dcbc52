package org.harbour.testsupport;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Base of the HTTP tests: one application, one real PostgreSQL and the test OIDC realms for the whole run.
 * Subclasses are {@code @QuarkusTest}s. Every answer to a REST Assured request is checked against the committed
 * contract ({@link ContractFilter}).
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcRealmsResource.class, scope = TestResourceScope.GLOBAL)
public abstract class ApiTest {

    static {
        io.restassured.RestAssured.filters(new ContractFilter());
    }
}
