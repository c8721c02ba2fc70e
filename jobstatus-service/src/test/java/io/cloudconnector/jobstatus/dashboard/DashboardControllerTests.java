package io.cloudconnector.jobstatus.dashboard;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.testing.SecuredWebTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(DashboardController.class)
class DashboardControllerTests extends SecuredWebTests {

    @Autowired
    MockMvc mvc;

    @Test
    void thePageShellNeedsNoTokenAndAllowsNoInlineScript() throws Exception {
        mvc.perform(get("/"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self';")))
                .andExpect(content().string(containsString("<script src=\"/dashboard.js\" defer></script>")));
        mvc.perform(get("/dashboard.js"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/javascript"))
                .andExpect(content().string(containsString("Authorization: \"Bearer \" + token()")));
        mvc.perform(get("/dashboard.css"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/css"));
    }

    @Test
    void onlyTheShellIsPublic() throws Exception {
        mvc.perform(get("/index.html")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/jobs")).andExpect(status().isUnauthorized());
    }
}
